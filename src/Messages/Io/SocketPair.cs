namespace Agent.Messages.Io;

/// <summary>
/// Sent to the IO manager: Python's <c>socket.socketpair()</c> as two connection actors, each
/// speaking the <see cref="SockStream"/> connection protocol (for <c>SOCK_DGRAM</c> each
/// <see cref="SockStream.Received"/> is one datagram). Replies: the local-only event carrying both actor
/// references (see the Actors project), or <see cref="SocketPairFailed"/>.
/// </summary>
/// <param name="Datagram">SOCK_DGRAM instead of SOCK_STREAM.</param>
/// <param name="Options">Socket options for both ends.</param>
public sealed record SocketPair(bool Datagram = false, SocketOptions? Options = null);

/// <summary>The failure reply to <see cref="SocketPair"/>.</summary>
public sealed record SocketPairFailed(SocketPair Cmd, PythonError Cause);
