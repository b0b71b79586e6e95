using Agent.Actors.Io.Interop;
using Agent.Actors.Resolution;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Io;

/// <summary>
/// The entry point of the IO layer (Akka.IO's manager): receives <see cref="SockStream.Bind"/>,
/// <see cref="SockStream.Connect"/>, <see cref="SockStream.CreateConnection"/>, <see cref="SockDgram.Bind"/>,
/// <see cref="SockDgram.Connect"/> and <see cref="SocketPair"/>, and starts one child actor per socket, which
/// replies to the sender. Socket children are stopped, never restarted, when they fail. Host names in any
/// command resolve through one <see cref="IAddressResolver"/>: by default a <see cref="ResolverActor"/>
/// child named <c>resolver</c> (libc's getaddrinfo, one request actor per lookup, CPython's results and
/// errors), which is restarted when it fails and started again when it stops.
/// </summary>
public sealed class IoManager : ReceiveActor
{
    /// <summary>The name of the default resolver child.</summary>
    public const string ResolverName = "resolver";

    // The resolver answers every request by its own timeout; the ask waits this much longer, guarding only a dead resolver.
    private static readonly TimeSpan AskMargin = TimeSpan.FromSeconds(5);

    private readonly IoSettings _settings;
    private readonly ResolverSettings _resolverSettings;
    private IAddressResolver? _resolver;
    // True once the resolver is our own child, false for one given to Props.
    private bool _ownsResolver;

    private IoManager(IoSettings settings, ResolverSettings resolverSettings, IAddressResolver? resolver)
    {
        _settings = settings;
        _resolverSettings = resolverSettings;
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
            new PythonError("ValueError", null, $"{command.GetType().Name} goes to a listener or connection, not the IO manager")), Self));
        Receive<SockDgram.Command>(command => Sender.Tell(new SockDgram.CommandFailed(command,
            new PythonError("ValueError", null, $"{command.GetType().Name} goes to a datagram endpoint, not the IO manager")), Self));
    }

    /// <summary>
    /// Props of the manager. Without a <paramref name="resolver"/> it starts its own <see cref="ResolverActor"/>
    /// child with <paramref name="resolverSettings"/> (defaults when null) on the first host name.
    /// </summary>
    public static Props Props(IoSettings? settings = null, IAddressResolver? resolver = null, ResolverSettings? resolverSettings = null)
    {
        var resolution = resolverSettings ?? ResolverSettings.Default;
        ResolverActor.Validate(resolution);
        return FactoryProps.Of(() => new IoManager(settings ?? IoSettings.Default, resolution, resolver));
    }

    private IAddressResolver Resolver
    {
        get
        {
            // Our resolver child stopped (rather than failed and restarted): the next name starts a new one instead
            // of waiting on a dead one. A stopped child is gone from the children as soon as it has terminated,
            // before any Terminated could reach us, so the children are asked rather than death watch.
            if (_ownsResolver && Context.Child(ResolverName).IsNobody())
            {
                _resolver = null;
            }
            if (_resolver is null)
            {
                _ownsResolver = true;
                _resolver = new ResolverActorAddressResolver(Context.ActorOf(ResolverActor.Props(_resolverSettings), ResolverName),
                    _resolverSettings.Timeout + AskMargin);
            }
            return _resolver;
        }
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new SocketsStopResolverRestarts();

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

    // A socket actor that fails has already lost its socket (stopping releases it); the resolver owns no
    // socket and keeps its ref alive across a restart, so the actors that hold it keep working.
    private sealed class SocketsStopResolverRestarts() : OneForOneStrategy(Akka.Actor.SupervisorStrategy.DefaultDecider)
    {
        protected override Directive Handle(IActorRef child, Exception exception) =>
            child.Path.Name == ResolverName ? Directive.Restart : Directive.Stop;
    }
}
