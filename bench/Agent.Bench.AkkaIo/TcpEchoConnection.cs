using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace Agent.Bench.AkkaIo;

/// <summary>
/// Echoes one TCP connection with Akka.IO's ACK-based write back-pressure: every Write carries
/// an <see cref="Ack"/>, and reading is suspended while that Write is unacknowledged, so the
/// connection actor never queues more than one write and nothing is ever dropped (the same
/// "stop reading until the echo is flushed" rule as echo_epoll and RawEcho).
/// </summary>
internal sealed class TcpEchoConnection : ReceiveActor
{
    private readonly IActorRef _connection;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ByteString _pending = ByteString.Empty;
    private bool _writing;

    public TcpEchoConnection(IActorRef connection)
    {
        _connection = connection;
        Receive<Tcp.Received>(r =>
        {
            if (_writing)
            {
                // A read the connection actor had already issued before SuspendReading reached
                // it: keep the bytes for the next Write rather than queue a second one.
                _pending = _pending.Concat(r.Data);
                return;
            }
            _writing = true;
            _connection.Tell(Tcp.SuspendReading.Instance);
            _connection.Tell(Tcp.Write.Create(r.Data, Ack.Instance));
        });
        Receive<Ack>(_ =>
        {
            if (_pending.IsEmpty)
            {
                _writing = false;
                _connection.Tell(Tcp.ResumeReading.Instance);
                return;
            }
            ByteString data = _pending;
            _pending = ByteString.Empty;
            _connection.Tell(Tcp.Write.Create(data, Ack.Instance));
        });
        Receive<Tcp.CommandFailed>(f =>
        {
            // Only a bounded write queue (akka.io.tcp.write-commands-queue-max-size) refuses a
            // Write, and one Write at a time never fills it; if it happens anyway, say so and drop
            // the connection rather than leave a hole in the echoed stream.
            _log.Warning("echo write refused, aborting the connection: {0}", f);
            _connection.Tell(Tcp.Abort.Instance);
        });
        Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
    }

    public static Props Create(IActorRef connection) => Props.Create(() => new TcpEchoConnection(connection));

    /// <summary>The write acknowledgement: the connection actor has handed the bytes to the socket.</summary>
    private sealed class Ack : Tcp.Event
    {
        public static readonly Ack Instance = new();
    }
}
