using Agent.Actors.Io.Interop;
using Agent.Actors.Kernel;
using Agent.Actors.Resolution;
using Agent.Messages.Io;

namespace Agent.Actors.Io;

/// <summary>
/// The entry point of the IO layer (Akka.IO's manager): receives <see cref="SockStream.Bind"/>,
/// <see cref="SockStream.Connect"/>, <see cref="SockStream.CreateConnection"/>, <see cref="SockDgram.Bind"/>,
/// <see cref="SockDgram.Connect"/> and <see cref="SocketPair"/>, and starts one child actor per socket, which
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
        Receive<SockStream.Bind>(bind => Context.ActorOf(StreamListener.Props(Sender, bind, _settings, Resolver)));
        Receive<SockStream.Connect>(connect => Context.ActorOf(StreamConnection.Outgoing(connect, Sender, _settings, Resolver)));
        Receive<SockStream.CreateConnection>(create => Context.ActorOf(ConnectionRace.Props(Sender, create, _settings, Resolver)));
        Receive<ConnectionRace.Adopt>(adopt => Context.ActorOf(
            StreamConnection.Accepted(adopt.Socket, adopt.Commander, adopt.Options, _settings, announce: true, adopt.Attempts)));
        Receive<SockDgram.Bind>(bind => Context.ActorOf(DatagramEndpoint.Props(Sender, bind, _settings, Resolver)));
        Receive<SockDgram.Connect>(connect => Context.ActorOf(DatagramEndpoint.Props(Sender, connect, _settings, Resolver)));
        Receive<SocketPair>(OpenPair);
        Receive<SockStream.Command>(command => Sender.Tell(new SockStream.CommandFailed(command,
            new Agent.Messages.PythonError("ValueError", null, $"{command.GetType().Name} goes to a listener or connection, not the IO manager")), Self));
        Receive<SockDgram.Command>(command => Sender.Tell(new SockDgram.CommandFailed(command,
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
        var a = Context.ActorOf(StreamConnection.Accepted(first, Sender, pair.Options, _settings, announce: false));
        var b = Context.ActorOf(StreamConnection.Accepted(second, Sender, pair.Options, _settings, announce: false));
        Sender.Tell(new SocketPairOpened(a, b, firstInfo, secondInfo), Self);
    }
}
