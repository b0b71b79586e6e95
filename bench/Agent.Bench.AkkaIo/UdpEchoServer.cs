using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace Agent.Bench.AkkaIo;

/// <summary>
/// Binds through Akka.IO's UDP manager and sends every received datagram back to where it came
/// from. Akka.IO's UDP has no read back-pressure worth the name (its listener ignores
/// SuspendReading) and its Send is a synchronous SendTo, so there is nothing to acknowledge:
/// a datagram the kernel cannot take is dropped, as UDP may.
/// </summary>
internal sealed class UdpEchoServer : ReceiveActor
{
    private readonly EndPoint _endpoint;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public UdpEchoServer(EndPoint endpoint, TaskCompletionSource<EndPoint> bound)
    {
        _endpoint = endpoint;
        Receive<Udp.Bound>(b =>
        {
            bound.TrySetResult(b.LocalAddress);
            IActorRef socket = Sender;
            Become(() => Echoing(socket));
        });
        Receive<Udp.CommandFailed>(f =>
        {
            bound.TrySetException(new IOException($"bind failed: {f}"));
            Context.Stop(Self);
        });
    }

    public static Props Create(EndPoint endpoint, TaskCompletionSource<EndPoint> bound) =>
        Props.Create(() => new UdpEchoServer(endpoint, bound));

    protected override void PreStart() =>
        // A 4 MiB receive buffer, as RawEcho and echo_epoll ask for, so bursts from 16 sockets fit.
        Context.System.Udp().Tell(new Udp.Bind(Self, _endpoint, [new Inet.SO.ReceiveBufferSize(4 << 20)]));

    private void Echoing(IActorRef socket)
    {
        Receive<Udp.Received>(r => socket.Tell(Udp.Send.Create(r.Data, r.Sender)));
        // Unbinding before the system stops closes the socket in order; the socket answers Unbound.
        Receive<Udp.Unbind>(u => socket.Forward(u));
        Receive<Udp.CommandFailed>(f => _log.Warning("echo datagram dropped: {0}", f));
    }
}
