using Agent.Actors.Io.Interop;
using Agent.Actors.Kernel;
using Agent.Actors.Resolution;
using Agent.Messages.Io;

namespace Agent.Actors.Io;

/// <summary>
/// The entry point of the IO layer (Akka.IO's manager): receives <see cref="Tcp.Bind"/>,
/// <see cref="Tcp.Connect"/>, <see cref="Tcp.CreateConnection"/>, <see cref="Udp.Bind"/>,
/// <see cref="Udp.Connect"/> and <see cref="SocketPair"/>, and starts one child actor per socket, which
/// replies to the sender. Children are stopped, never restarted, when they fail. Host names in any
/// command resolve through one <see cref="IAddressResolver"/>: by default a <see cref="ResolverActor"/>
/// child named <c>resolver</c> (libc's getaddrinfo, one request actor per lookup, CPython's results and errors).
/// </summary>
public sealed class IoManager : ReceiveActor
{
    private readonly IoSettings _settings;
    private IAddressResolver? _resolver;

    private IoManager(IoSettings settings, IAddressResolver? resolver)
    {
        _settings = settings;
        _resolver = resolver;
        Receive<Tcp.Bind>(bind => Context.ActorOf(TcpListener.Props(Sender, bind, _settings, Resolver)));
        Receive<Tcp.Connect>(connect => Context.ActorOf(TcpConnection.Outgoing(connect, Sender, _settings, Resolver)));
        Receive<Tcp.CreateConnection>(create => Context.ActorOf(Io.CreateConnection.Props(Sender, create, _settings, Resolver)));
        Receive<CreateConnection.Adopt>(adopt => Context.ActorOf(
            TcpConnection.Accepted(adopt.Socket, adopt.Commander, adopt.Options, _settings, announce: true, adopt.Attempts)));
        Receive<Udp.Bind>(bind => Context.ActorOf(DatagramEndpoint.Props(Sender, bind, _settings, Resolver)));
        Receive<Udp.Connect>(connect => Context.ActorOf(DatagramEndpoint.Props(Sender, connect, _settings, Resolver)));
        Receive<SocketPair>(OpenPair);
        Receive<Tcp.Command>(command => Sender.Tell(new Tcp.CommandFailed(command,
            new Agent.Messages.PythonError("ValueError", null, $"{command.GetType().Name} goes to a listener or connection, not the IO manager")), Self));
        Receive<Udp.Command>(command => Sender.Tell(new Udp.CommandFailed(command,
            new Agent.Messages.PythonError("ValueError", null, $"{command.GetType().Name} goes to a datagram endpoint, not the IO manager")), Self));
    }

    /// <summary>Props of the manager; without a <paramref name="resolver"/> it starts its own <see cref="ResolverActor"/> child.</summary>
    public static Props Props(IoSettings? settings = null, IAddressResolver? resolver = null) =>
        Kernel.Props.FromFactory(() => new IoManager(settings ?? IoSettings.Default, resolver));

    private IAddressResolver Resolver => _resolver ??= new ResolverActorAddressResolver(Context.ActorOf(ResolverActor.Props(), "resolver"));

    /// <inheritdoc />
    protected internal override SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.StoppingStrategy;

    private void OpenPair(SocketPair pair)
    {
        System.Net.Sockets.Socket first, second;
        try
        {
            (first, second) = SocketPairInterop.Create(pair.Datagram);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Sender.Tell(new SocketPairFailed(pair, OsErrors.FromException(e)), Self);
            return;
        }
        // Describe before the actors own the sockets: afterwards only they may touch them.
        var firstInfo = SocketFactory.Describe(first, connected: true);
        var secondInfo = SocketFactory.Describe(second, connected: true);
        var a = Context.ActorOf(TcpConnection.Accepted(first, Sender, pair.Options, _settings, announce: false));
        var b = Context.ActorOf(TcpConnection.Accepted(second, Sender, pair.Options, _settings, announce: false));
        Sender.Tell(new SocketPairOpened(a, b, firstInfo, secondInfo), Self);
    }
}
