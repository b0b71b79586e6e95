using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Io;

/// <summary>
/// Reply to <see cref="SocketPair"/>: the two connection actors, each speaking the <see cref="SockStream"/>
/// connection protocol. Local only (it holds actor references, so it never crosses the wire). Both
/// wait for a <see cref="SockStream.Register"/>, whose sender becomes that end's handler.
/// </summary>
/// <param name="First">One end.</param>
/// <param name="Second">The other end.</param>
/// <param name="FirstInfo">family/type/proto of the first end (names are empty for socketpair).</param>
/// <param name="SecondInfo">The same for the second end.</param>
public sealed record SocketPairOpened(IActorRef First, IActorRef Second, SocketInfo FirstInfo, SocketInfo SecondInfo);
