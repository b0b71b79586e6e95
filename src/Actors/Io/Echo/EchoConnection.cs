using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Io.Echo;

/// <summary>
/// The handler of one echoed stream connection: writes every <see cref="SockStream.Received"/> back in order,
/// suspends reading while too much is unacknowledged, closes after the peer's shutdown once every
/// byte is written, and stops with the connection.
/// </summary>
public sealed class EchoConnection : ReceiveActor
{
    /// <summary>Unacknowledged bytes at which reading pauses (256 KiB), so a peer that does not read cannot grow our queue.</summary>
    public const long HighWater = 256 * 1024;

    // One ack per half high-water mark: each ack is a message and a turn of this actor, so ask rarely.
    private const long AckEvery = HighWater / 2;
    private readonly IActorRef _connection;
    private long _written;
    private long _acked;
    private long _lastAckRequest;
    private bool _suspended;

    private EchoConnection(IActorRef connection)
    {
        _connection = connection;
        Receive<SockStream.Received>(OnReceived);
        Receive<SockStream.WriteAck>(OnAck);
        Receive<SockStream.PeerShutdown>(_ => _connection.Tell(SockStream.Close.Instance, Self));
        Receive<SockStream.CommandFailed>(_ => _connection.Tell(SockStream.Abort.Instance, Self));
        Receive<SockStream.ConnectionClosed>(_ => Context.Stop(Self));
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    /// <summary>A handler for <paramref name="connection"/>; the caller sends <c>Register</c> on its behalf.</summary>
    public static Props Props(IActorRef connection) => FactoryProps.Of(() => new EchoConnection(connection));

    /// <inheritdoc />
    protected override void PreStart() => Context.Watch(_connection);

    private void OnReceived(SockStream.Received received)
    {
        _written += received.Data.Length;
        long? ack = null;
        if (_written - _lastAckRequest >= AckEvery)
        {
            ack = _written;
            _lastAckRequest = _written;
        }
        _connection.Tell(new SockStream.Write(received.Data, ack), Self);
        if (!_suspended && _written - _acked > HighWater)
        {
            _suspended = true;
            _connection.Tell(SockStream.SuspendReading.Instance, Self);
        }
    }

    private void OnAck(SockStream.WriteAck ack)
    {
        _acked = Math.Max(_acked, ack.Ack);
        if (_suspended && _written - _acked <= HighWater / 2)
        {
            _suspended = false;
            _connection.Tell(SockStream.ResumeReading.Instance, Self);
        }
    }
}
