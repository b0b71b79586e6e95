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
/// connection cost about 4 KiB of memory each: cell, mailbox, a child entry, death watch). Back-pressure, so a
/// slow reader slows only its own connection and never loses it: reading of a connection is suspended while
/// too much of its echo is unacknowledged, and bytes that arrive meanwhile (reads already under way) are held
/// here, in order, and written once acknowledgements show the connection's pending-write bound has room, so a
/// write is never refused. A connection is closed once the peer has shut its side and every byte is written. After a
/// bind failure the service stops, and the <see cref="BackoffSupervisor"/> from <see cref="Supervised"/> starts a new one
/// after a growing delay (its listener and connections see their handler stop, unbind and close). So does a listener or
/// datagram endpoint that stops under it for any other reason: no input from the network stops a service for good.
/// A bind failure that waiting can heal (port in use, descriptors exhausted) is one warning line per retry; one it
/// cannot (an address the host does not have, a permission, a name that does not resolve, a file in the way) is
/// reported to the observer as <see cref="EchoServiceFailed"/> and the service stays, bound to nothing, for the
/// observer to decide (<c>agent run</c> stops the node).
/// A datagram from an unnamed unix sender has no return address: it is counted and dropped.
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
    private readonly long _maxPending;
    private readonly EchoLimits _limits;
    private readonly ILoggingAdapter _log;
    private readonly Dictionary<IActorRef, Flow> _flows = [];
    private IActorRef? _bound;
    private long _unanswerable;

    private EchoService(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer, IoSettings settings, EchoLimits limits)
    {
        _limits = limits;
        _io = io;
        _endpoint = endpoint;
        _chunk = chunk;
        _observer = observer;
        _maxPending = settings.MaxPendingWriteBytes;
        _log = Context.GetLogger();
    }

    /// <summary>
    /// The service itself; <paramref name="chunk"/> is the read size (16 reproduces the seeds), <paramref name="settings"/>
    /// those of <paramref name="io"/> (the pending-write bound its writes must stay under).
    /// </summary>
    public static Props Props(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer, IoSettings? settings = null, EchoLimits? limits = null) =>
        FactoryProps.Of(() => new EchoService(io, endpoint, chunk, observer, settings ?? IoSettings.Default, limits ?? EchoLimits.Default));

    /// <summary>
    /// The service under a backoff supervisor: after a failure a new service starts 100 ms later, doubling up to
    /// 10 s (20 % jitter), retrying forever; the delay resets after 30 s of running.
    /// </summary>
    public static Props Supervised(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer, IoSettings? settings = null, EchoLimits? limits = null) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(io, endpoint, chunk, observer, settings, limits), "service",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), 0.2, maxNrOfRetries: -1)
            .WithAutoReset(TimeSpan.FromSeconds(30))
            // An exception (a bug) stops the service too, logged with its stack trace, and the backoff applies alike.
            .WithSupervisorStrategy(new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, static _ => Directive.Stop)));

    /// <inheritdoc />
    protected override void PreStart()
    {
        // The chunk applies to streams; a datagram is read whole (a smaller recvfrom would truncate it).
        _io.Tell(_endpoint.IsStream
            ? new SockStream.Bind(_endpoint, Options: new SocketOptions(ReadChunkSize: _chunk, IdleTimeout: _limits.IdleTimeout), MaxConnections: _limits.MaxConnections)
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
            case SockDgram.Received { Sender: { IsUnix: true, Path.Length: 0 } }:
                // Logged at 1, 2, 4, 8... so a flood of them cannot flood the log.
                if (long.IsPow2(++_unanswerable))
                {
                    _log.Warning("echo {Endpoint}: dropped {Count} datagram(s) from unnamed senders (no return address)", _endpoint, _unanswerable);
                }
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
            case SockStream.CommandFailed { Cmd: SockStream.Write } failed:
                // Writes stay under the bound, so only a closing connection refuses one; its close event follows.
                _log.Debug("echo {Endpoint}: write refused: {Cause}", _endpoint, failed.Cause);
                break;
            case SockStream.Bound bound:
                OnBound(bound.Socket);
                break;
            case SockDgram.Bound bound:
                OnBound(bound.Socket);
                break;
            case Terminated t when t.ActorRef.Equals(_bound):
                _log.Warning("echo {Endpoint}: its socket actor stopped; binding again after a pause", _endpoint);
                _observer?.Tell(new EchoServiceRetrying(_endpoint, "its socket stopped"), Self);
                Context.Stop(Self);
                break;
            case SockStream.CommandFailed { Cmd: SockStream.Bind } failed:
                OnBindFailed(failed.Cause);
                break;
            case SockDgram.CommandFailed { Cmd: SockDgram.Bind } failed:
                OnBindFailed(failed.Cause);
                break;
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
        if (flow.Held.Count > 0 || !CanWrite(flow, received.Data.Length))
        {
            flow.Held.Enqueue(received.Data);
            Suspend(connection, flow);
            AwaitRelease(connection, flow);
            return;
        }
        Write(connection, flow, received.Data, ack: flow.Written + received.Data.Length - flow.LastAckRequest >= AckEvery);
        if (flow.Written - flow.Acked > HighWater)
        {
            Suspend(connection, flow);
        }
    }

    private void OnAck(IActorRef connection, Flow flow, SockStream.WriteAck ack)
    {
        flow.Acked = Math.Max(flow.Acked, ack.Ack);
        while (flow.Held.Count > 0 && CanWrite(flow, flow.Held.Peek().Length))
        {
            var data = flow.Held.Dequeue();
            // While bytes are held, every write asks for its acknowledgement: the next release depends on it.
            Write(connection, flow, data, ack: flow.Held.Count == 0 || !CanWrite(flow, data.Length + flow.Held.Peek().Length));
        }
        if (flow.Held.Count > 0)
        {
            // This ack may not cover the newest writes (made under the bound without an ack of their own), and what
            // is held may not fit beside them.
            AwaitRelease(connection, flow);
        }
        if (flow.Suspended && flow.Held.Count == 0 && flow.Written - flow.Acked <= HighWater / 2)
        {
            flow.Suspended = false;
            connection.Tell(SockStream.ResumeReading.Instance, Self);
        }
    }

    // Unacknowledged bytes bound what the connection still has queued, so a write within the bound (or onto an empty
    // queue, which takes any size) is never refused.
    private bool CanWrite(Flow flow, int size) => flow.Written == flow.Acked || flow.Written - flow.Acked + size <= _maxPending;

    private void Write(IActorRef connection, Flow flow, ReadOnlyMemory<byte> data, bool ack)
    {
        flow.Written += data.Length;
        if (ack)
        {
            flow.LastAckRequest = flow.Written;
        }
        connection.Tell(new SockStream.Write(data, ack ? flow.Written : null), Self);
    }

    // Held bytes are released only by an acknowledgement: when none is on its way, an empty acked write asks for one
    // once everything written so far has reached the kernel.
    private void AwaitRelease(IActorRef connection, Flow flow)
    {
        if (flow.LastAckRequest <= flow.Acked)
        {
            flow.LastAckRequest = flow.Written;
            connection.Tell(new SockStream.Write(ReadOnlyMemory<byte>.Empty, flow.Written), Self);
        }
    }

    private void Suspend(IActorRef connection, Flow flow)
    {
        if (!flow.Suspended)
        {
            flow.Suspended = true;
            connection.Tell(SockStream.SuspendReading.Instance, Self);
        }
    }

    private void OnBindFailed(PythonError cause)
    {
        if (!OsErrors.IsRetryable(cause))
        {
            // Stays as it is, bound to nothing: stopping would only start the backoff over; the observer decides.
            _log.Error("echo {Endpoint}: {Cause}; giving up (waiting cannot heal this)", _endpoint, cause);
            _observer?.Tell(new EchoServiceFailed(_endpoint, cause), Self);
            return;
        }
        // One line per retry, no stack trace: a port in use is an operator's concern, not a bug.
        _log.Warning("echo {Endpoint}: {Cause}; binding again after a pause", _endpoint, cause);
        _observer?.Tell(new EchoServiceRetrying(_endpoint, cause.ToString()), Self);
        Context.Stop(Self);
    }

    private void OnBound(SocketInfo socket)
    {
        _bound = Sender;
        Context.Watch(_bound);
        _log.Info("echo {Endpoint} listening on {Local}", _endpoint, socket.Local);
        _observer?.Tell(new EchoServiceBound(_endpoint, socket), Self);
    }

    // The echo state of one connection: bytes written back and acknowledged, bytes held back in order, whether its
    // reading is paused.
    private sealed class Flow
    {
        public Queue<ReadOnlyMemory<byte>> Held { get; } = new();

        public long Written { get; set; }

        public long Acked { get; set; }

        public long LastAckRequest { get; set; }

        public bool Suspended { get; set; }
    }
}
