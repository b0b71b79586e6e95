using System.Net;
using Akka.Actor;
using Akka.IO;

namespace Agent.Bench.AkkaIo;

/// <summary>
/// Binds through Akka.IO's TCP manager and gives each accepted connection its own
/// <see cref="TcpEchoConnection"/> handler, the layout Akka.NET's IO docs show.
/// </summary>
internal sealed class TcpEchoServer : ReceiveActor
{
    private readonly EndPoint _endpoint;
    private IActorRef _listener = ActorRefs.Nobody;

    public TcpEchoServer(EndPoint endpoint, TaskCompletionSource<EndPoint> bound)
    {
        _endpoint = endpoint;
        Receive<Tcp.Bound>(b =>
        {
            _listener = Sender;
            bound.TrySetResult(b.LocalAddress);
        });
        // Unbinding first lets the listener stop quietly; stopping the system under it would log
        // a "Bind commander died" warning. The listener answers Unbound to whoever asked.
        Receive<Tcp.Unbind>(u => _listener.Forward(u));
        Receive<Tcp.CommandFailed>(f =>
        {
            bound.TrySetException(new IOException(f.Cause.HasValue ? f.Cause.Value.Message : f.ToString()));
            Context.Stop(Self);
        });
        Receive<Tcp.Connected>(_ =>
        {
            IActorRef handler = Context.ActorOf(TcpEchoConnection.Create(Sender));
            Sender.Tell(new Tcp.Register(handler));
        });
    }

    public static Props Create(EndPoint endpoint, TaskCompletionSource<EndPoint> bound) =>
        Props.Create(() => new TcpEchoServer(endpoint, bound));

    protected override void PreStart() =>
        // Backlog and SO_REUSEADDR as RawEcho and echo_epoll set them, so only the IO layer differs.
        Context.System.Tcp().Tell(new Tcp.Bind(Self, _endpoint, backlog: 4096, options: [new Inet.SO.ReuseAddress(true)]));
}
