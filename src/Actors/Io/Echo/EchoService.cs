using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;

namespace Agent.Actors.Io.Echo;

/// <summary>
/// One echo service (TCP, UDP, Unix stream or Unix datagram): binds through the IO manager, answers
/// every accepted connection with an <see cref="EchoConnection"/> and every datagram with the same bytes
/// back to its sender. A failed bind throws <see cref="EchoServiceBindException"/>, so the
/// <see cref="BackoffSupervisor"/> from <see cref="Supervised"/> stops it and starts a new one after a growing delay
/// (its listener sees its handler stop and unbinds).
/// </summary>
public sealed class EchoService : ReceiveActor
{
    private readonly IActorRef _io;
    private readonly Endpoint _endpoint;
    private readonly int _chunk;
    private readonly IActorRef? _observer;
    private readonly ILoggingAdapter _log;

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
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    private void OnBound(SocketInfo socket)
    {
        _log.Info("echo {Endpoint} listening on {Local}", _endpoint, socket.Local);
        _observer?.Tell(new EchoServiceBound(_endpoint, socket), Self);
    }
}
