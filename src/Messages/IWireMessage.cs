namespace Agent.Messages;

/// <summary>
/// A message that may cross nodes. Akka binds this interface to the project's own serializer
/// (<c>Agent.Actors.Cluster.WireSerializer</c>: a fixed string manifest per concrete type over the
/// System.Text.Json source-generated contracts), so no such message ever reaches the wire through
/// Newtonsoft's <c>$type</c> names and no bytes from the network choose a .NET type.
/// </summary>
/// <remarks>
/// The resolution protocol, the node request protocol (<see cref="Requests"/>) and the probe protocol (<see cref="Checks"/>) carry it. The IO messages (<see cref="Io.SockStream"/>,
/// <see cref="Io.SockDgram"/>, <see cref="Io.SocketPair"/>) stay local to one process on purpose:
/// their handlers are socket actors and their byte buffers belong to local connections, so a node
/// asks another node's resolver, never another node's sockets. A new type given this marker must
/// also get a manifest in the serializer's table (a test fails otherwise).
/// </remarks>
public interface IWireMessage;
