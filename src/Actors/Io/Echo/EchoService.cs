using Agent.Actors.Kernel;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Io.Echo;

/// <summary>
/// One echo service (TCP, UDP, Unix stream or Unix datagram): binds through the IO manager, answers
/// every accepted connection with an <see cref="EchoConnection"/> and every datagram with the same bytes
/// back to its sender. A failed bind throws <see cref="EchoServiceBindException"/>, so the
/// <see cref="BackoffSupervisor"/> from <see cref="Supervised"/> retries with growing delay.
/// </summary>
public sealed class EchoService : ReceiveActor
{
    private readonly IActorRef _io;
    private readonly Endpoint _endpoint;
    private readonly int _chunk;
    private readonly IActorRef? _observer;
    private readonly ILoggingAdapter _log;
    private IActorRef? _bound;

    private EchoService(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer)
    {
        _io = io;
        _endpoint = endpoint;
        _chunk = chunk;
        _observer = observer;
        _log = Context.GetLogger();
        Receive<SockStream.Bound>(b => OnBound(b.Socket));
        Receive<SockDgram.Bound>(b => OnBound(b.Socket));
        Receive<SockStream.CommandFailed>(f => throw new EchoServiceBindException(_endpoint, f.Cause));
        Receive<SockDgram.CommandFailed>(f =>
        {
            if (f.Cmd is SockDgram.Bind)
            {
                throw new EchoServiceBindException(_endpoint, f.Cause);
            }
            _log.Debug("echo {Endpoint}: reply dropped: {Cause}", _endpoint, f.Cause);
        });
        Receive<SockStream.Connected>(c =>
        {
            var handler = Context.ActorOf(EchoConnection.Props(Sender));
            Sender.Tell(new SockStream.Register(KeepOpenOnPeerClosed: true), handler);
        });
        Receive<SockDgram.Received>(r => Sender.Tell(new SockDgram.Send(r.Data, r.Sender), Self));
        Receive<SockDgram.ErrorReceived>(e => _log.Debug("echo {Endpoint}: {Cause}", _endpoint, e.Cause));
    }

    /// <summary>The service itself; <paramref name="chunk"/> is the read size (16 reproduces the seeds).</summary>
    public static Props Props(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer) =>
        Kernel.Props.FromFactory(() => new EchoService(io, endpoint, chunk, observer));

    /// <summary>The service under a backoff supervisor: bind failures retry after 100 ms, doubling up to 10 s.</summary>
    public static Props Supervised(IActorRef io, Endpoint endpoint, int chunk, IActorRef? observer) =>
        BackoffSupervisor.Props(BackoffOptions.OnFailure(
            Props(io, endpoint, chunk, observer), "service",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), 0.2)
            .WithAutoReset(TimeSpan.FromSeconds(30)));

    /// <inheritdoc />
    protected internal override void PreStart()
    {
        // The chunk applies to streams; a datagram is read whole (a smaller recvfrom would truncate it).
        _io.Tell(_endpoint.IsStream
            ? new SockStream.Bind(_endpoint, Options: new SocketOptions(ReadChunkSize: _chunk))
            : new SockDgram.Bind(_endpoint, new SocketOptions(ReadChunkSize: 65_536)), Self);
    }

    /// <inheritdoc />
    protected internal override void PreRestart(Exception reason, object? message)
    {
        // A restart keeps this actor's ref alive, so the listener's death watch does not fire: unbind explicitly.
        // (On a stop, the listener sees Terminated and unbinds by itself.)
        if (_bound is { } bound)
        {
            bound.Tell(_endpoint.IsStream ? SockStream.Unbind.Instance : SockDgram.Unbind.Instance, ActorRefs.NoSender);
        }
        base.PreRestart(reason, message);
    }

    /// <inheritdoc />
    protected internal override SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.StoppingStrategy;

    private void OnBound(SocketInfo socket)
    {
        _bound = Sender;
        _log.Info("echo {Endpoint} listening on {Local}", _endpoint, socket.Local);
        _observer?.Tell(new EchoServiceBound(_endpoint, socket), Self);
    }
}
