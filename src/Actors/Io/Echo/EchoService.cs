using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;

namespace Agent.Actors.Io.Echo;

/// <summary>
/// One echo service (TCP, UDP, Unix stream or Unix datagram): binds through the IO manager and has every accepted
/// connection echo its bytes back in order, and its datagram endpoint echo every datagram to its sender. The echo
/// itself is done by the socket's own actor (<see cref="SockStream.Register.Echo"/>, <see cref="SockDgram.Bind.Echo"/>):
/// a read becomes a write on the same actor's turn, with no message per chunk, and back-pressure is local (a connection
/// stops reading while its echo is unwritten, so a slow reader slows only its own connection and never loses it). The
/// service is the handler of all its connections, keeping no state per connection (a second actor per connection
/// cost about 4 KiB of memory each: cell, mailbox, a child entry, death watch). A connection is closed once the peer
/// has shut its side and every byte is written. After a bind failure the service stops, and the
/// <see cref="BackoffSupervisor"/> from <see cref="Supervised"/> starts a new one after a growing delay (its listener and
/// connections see their handler stop, unbind and close). So does a listener or datagram endpoint that stops under it
/// for any other reason: no input from the network stops a service for good. A bind failure that waiting can heal
/// (port in use, descriptors exhausted) is one warning line per retry; one it cannot (an address the host does not
/// have, a permission, a name that does not resolve, a file in the way) is reported to the observer as
/// <see cref="EchoServiceFailed"/> and the service stays, bound to nothing, for the observer to decide (<c>agent run</c>
/// stops the node).
/// </summary>
public sealed class EchoService : UntypedActor
{
    private readonly IActorRef _io;
    private readonly Endpoint _endpoint;
    private readonly int _chunk;
    private readonly IActorRef? _observer;
    private readonly EchoLimits _limits;
    private readonly ILoggingAdapter _log;
    private IActorRef? _bound;

    private EchoService(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer, EchoLimits limits)
    {
        _limits = limits;
        _io = io;
        _endpoint = endpoint;
        _chunk = chunk;
        _observer = observer;
        _log = Context.GetLogger();
    }

    /// <summary>The service itself; <paramref name="chunk"/> is the read size of its connections (16 reproduces the seeds).</summary>
    public static Props Props(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer, EchoLimits? limits = null) =>
        FactoryProps.Of(() => new EchoService(io, endpoint, chunk, observer, limits ?? EchoLimits.Default));

    /// <summary>
    /// The service under a backoff supervisor: after a failure a new service starts 100 ms later, doubling up to
    /// 10 s (20 % jitter), retrying forever; the delay resets after 30 s of running.
    /// </summary>
    public static Props Supervised(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer, EchoLimits? limits = null) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(io, endpoint, chunk, observer, limits), "service",
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
            : new SockDgram.Bind(_endpoint, new SocketOptions(ReadChunkSize: 65_536), Echo: true), Self);
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case SockStream.Connected:
                Sender.Tell(new SockStream.Register(Echo: true), Self);
                break;
            case SockStream.ConnectionClosed:
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
}
