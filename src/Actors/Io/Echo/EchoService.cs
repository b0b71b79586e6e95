using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;

namespace Agent.Actors.Io.Echo;

/// <summary>
/// One echo service (TCP, UDP, Unix stream or Unix datagram): binds through the IO manager and echoes every
/// datagram back to its sender, and every accepted connection's bytes back in order. It is the handler of all
/// its connections itself, keeping a few counters per connection rather than an actor (a second actor per
/// connection cost about 4 KiB of memory each: cell, mailbox, a child entry, death watch). Reading of a
/// connection is suspended while too much of its echo is unacknowledged, and a connection is closed once the
/// peer has shut its side and every byte is written. A failed bind throws <see cref="EchoServiceBindException"/>,
/// so the <see cref="BackoffSupervisor"/> from <see cref="Supervised"/> stops it and starts a new one after a
/// growing delay (its listener and connections see their handler stop, unbind and close).
/// </summary>
public sealed class EchoService : UntypedActor
{
    /// <summary>Unacknowledged bytes of one connection at which its reading pauses (256 KiB), so a peer that does not read cannot grow our queue.</summary>
    public const long HighWater = 256 * 1024;

    // One ack per half high-water mark: each ack is a message and a turn of this actor, so ask rarely.
    private const long AckEvery = HighWater / 2;
    private readonly IActorRef _io;
    private readonly Endpoint _endpoint;
    private readonly int _chunk;
    private readonly IActorRef? _observer;
    private readonly ILoggingAdapter _log;
    private readonly Dictionary<IActorRef, Flow> _flows = [];

    private EchoService(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer)
    {
        _io = io;
        _endpoint = endpoint;
        _chunk = chunk;
        _observer = observer;
        _log = Context.GetLogger();
    }

    /// <summary>The service itself; <paramref name="chunk"/> is the read size (16 reproduces the seeds).</summary>
    public static Props Props(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer) =>
        FactoryProps.Of(() => new EchoService(io, endpoint, chunk, observer));

    /// <summary>
    /// The service under a backoff supervisor: after a failure a new service starts 100 ms later, doubling up to
    /// 10 s (20 % jitter), retrying forever; the delay resets after 30 s of running.
    /// </summary>
    public static Props Supervised(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer) =>
        BackoffSupervisor.Props(Backoff.OnFailure(
            Props(io, endpoint, chunk, observer), "service",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), 0.2, maxNrOfRetries: -1)
            .WithAutoReset(TimeSpan.FromSeconds(30)));

    /// <inheritdoc />
    protected override void PreStart()
    {
        // The chunk applies to streams; a datagram is read whole (a smaller recvfrom would truncate it).
        _io.Tell(_endpoint.IsStream
            ? new SockStream.Bind(_endpoint, Options: new SocketOptions(ReadChunkSize: _chunk))
            : new SockDgram.Bind(_endpoint, new SocketOptions(ReadChunkSize: 65_536)), Self);
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case SockStream.Received received when _flows.TryGetValue(Sender, out var flow):
                OnReceived(Sender, flow, received);
                break;
            case SockDgram.Received datagram:
                Sender.Tell(new SockDgram.Send(datagram.Data, datagram.Sender), Self);
                break;
            case SockStream.WriteAck ack when _flows.TryGetValue(Sender, out var flow):
                OnAck(Sender, flow, ack);
                break;
            case SockStream.Connected:
                _flows[Sender] = new Flow();
                Sender.Tell(new SockStream.Register(KeepOpenOnPeerClosed: true), Self);
                break;
            case SockStream.PeerShutdown:
                Sender.Tell(SockStream.Close.Instance, Self);
                break;
            case SockStream.ConnectionClosed:
                _flows.Remove(Sender);
                break;
            case SockStream.CommandFailed { Cmd: SockStream.Write }:
                // Only the pending-bytes bound refuses a write, and reading stops long before it: a hole in the echo
                // would corrupt the stream, so the connection goes instead.
                Sender.Tell(SockStream.Abort.Instance, Self);
                break;
            case SockStream.Bound bound:
                OnBound(bound.Socket);
                break;
            case SockDgram.Bound bound:
                OnBound(bound.Socket);
                break;
            case SockStream.CommandFailed { Cmd: SockStream.Bind } failed:
                throw new EchoServiceBindException(_endpoint, failed.Cause);
            case SockDgram.CommandFailed { Cmd: SockDgram.Bind } failed:
                throw new EchoServiceBindException(_endpoint, failed.Cause);
            case SockDgram.CommandFailed failed:
                _log.Debug("echo {Endpoint}: reply dropped: {Cause}", _endpoint, failed.Cause);
                break;
            case SockDgram.ErrorReceived error:
                _log.Debug("echo {Endpoint}: {Cause}", _endpoint, error.Cause);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    private void OnReceived(IActorRef connection, Flow flow, SockStream.Received received)
    {
        flow.Written += received.Data.Length;
        long? ack = null;
        if (flow.Written - flow.LastAckRequest >= AckEvery)
        {
            ack = flow.Written;
            flow.LastAckRequest = flow.Written;
        }
        connection.Tell(new SockStream.Write(received.Data, ack), Self);
        if (!flow.Suspended && flow.Written - flow.Acked > HighWater)
        {
            flow.Suspended = true;
            connection.Tell(SockStream.SuspendReading.Instance, Self);
        }
    }

    private void OnAck(IActorRef connection, Flow flow, SockStream.WriteAck ack)
    {
        flow.Acked = Math.Max(flow.Acked, ack.Ack);
        if (flow.Suspended && flow.Written - flow.Acked <= HighWater / 2)
        {
            flow.Suspended = false;
            connection.Tell(SockStream.ResumeReading.Instance, Self);
        }
    }

    private void OnBound(SocketInfo socket)
    {
        _log.Info("echo {Endpoint} listening on {Local}", _endpoint, socket.Local);
        _observer?.Tell(new EchoServiceBound(_endpoint, socket), Self);
    }

    // The echo state of one connection: bytes written back, bytes the connection acknowledged, whether its reading is paused.
    private sealed class Flow
    {
        public long Written { get; set; }

        public long Acked { get; set; }

        public long LastAckRequest { get; set; }

        public bool Suspended { get; set; }
    }
}
