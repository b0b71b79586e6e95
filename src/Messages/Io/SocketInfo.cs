namespace Agent.Messages.Io;

/// <summary>
/// What Python's socket object would report: <c>family</c>, <c>type</c>, <c>proto</c>,
/// <c>getsockname()</c> and <c>getpeername()</c> (null when unconnected), in the endpoint grammar.
/// </summary>
/// <param name="Family">e.g. <c>AF_INET</c>, <c>AF_INET6</c>, <c>AF_UNIX</c>.</param>
/// <param name="Type"><c>SOCK_STREAM</c> or <c>SOCK_DGRAM</c>.</param>
/// <param name="Proto">The protocol number (6 for TCP, 17 for UDP, 0 for Unix).</param>
/// <param name="Local">getsockname().</param>
/// <param name="Peer">getpeername(), or null.</param>
public sealed record SocketInfo(string Family, string Type, int Proto, Endpoint Local, Endpoint? Peer);
