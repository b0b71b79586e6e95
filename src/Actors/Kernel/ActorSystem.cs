using System.Text.RegularExpressions;

namespace Agent.Actors.Kernel;

/// <summary>
/// A hierarchy of actors with its guardians (<c>/user</c>, <c>/system</c>), scheduler,
/// event stream, dead letters and logging. Terminating it stops every actor, children
/// before parents, and completes <see cref="WhenTerminated"/>.
/// </summary>
public sealed partial class ActorSystem : IAsyncDisposable, IDisposable
{
    private readonly ActorCell _root;
    private readonly LocalActorRef _user;
    private readonly LocalActorRef _systemGuardian;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<Type, object> _extensions = [];
    private readonly Lock _extensionsGate = new();

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        Address = new Address(Address.AgentProtocol, name, settings.Host, settings.Port);
        var rootPath = ActorPath.Root(Address);
        TempPath = rootPath / "temp";
        Logging = new Logging(settings, name);
        Log = Logging.For(rootPath, typeof(ActorSystem));
        Scheduler = new Scheduler(settings.TimeProvider);
        EventStream = new EventStream();
        DeadLetterRef = new DeadLetterActorRef(this, rootPath / "deadLetters");
        var sink = new SystemTerminationSink(this, rootPath / "bubble-walker");
        _root = new ActorCell(this, Props.FromFactory(() => new RootGuardian(settings.GuardianSupervisorStrategy)), rootPath, sink);
        _root.StartSynchronously();
        _user = _root.TryGetChild("user")!;
        _systemGuardian = _root.TryGetChild("system")!;
    }

    /// <summary>Creates and starts a system. Names are letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new ArgumentException($"Invalid actor system name '{name}': use letters, digits, '-' and '_', starting with a letter or digit.", nameof(name));
        }
        return new ActorSystem(name, settings ?? ActorSystemSettings.Default);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex ValidName();

    /// <summary>The system's name.</summary>
    public string Name { get; }

    /// <summary>The settings it was created with.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The address part of every path in this system.</summary>
    public Address Address { get; }

    /// <summary>The system logger.</summary>
    public ILoggingAdapter Log { get; }

    /// <summary>Logger factory (actor path and source as structured properties).</summary>
    public Logging Logging { get; }

    /// <summary>Delayed and periodic delivery.</summary>
    public Scheduler Scheduler { get; }

    /// <summary>Publish/subscribe by type.</summary>
    public EventStream EventStream { get; }

    /// <summary>Where undeliverable messages go.</summary>
    public IActorRef DeadLetters => DeadLetterRef;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider => Settings.TimeProvider;

    /// <summary>Completes once every actor has stopped.</summary>
    public Task WhenTerminated => _terminated.Task;

    internal DeadLetterActorRef DeadLetterRef { get; }

    internal ActorPath TempPath { get; }

    internal ActorCell RootCell => _root;

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _user.Cell.AttachChild(props, name, isSystemName: false);

    /// <summary>Creates a kernel/service actor under <c>/system</c>.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.Cell.AttachChild(props, name, isSystemName: false);

    /// <summary>Stops an actor asynchronously.</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is IInternalActorRef target)
        {
            target.SendSystemMessage(Kernel.Terminate.Instance);
        }
    }

    /// <summary>Selects actors by path.</summary>
    public ActorSelection ActorSelection(string path) => Kernel.ActorSelection.Create(this, null, path);

    /// <summary>Stops /user, then /system, then the root; completes when all actors have stopped.</summary>
    public Task Terminate()
    {
        _user.SendSystemMessage(Kernel.Terminate.Instance);
        return WhenTerminated;
    }

    /// <summary>Gets or creates a per-system singleton (how <see cref="CoordinatedShutdown"/> is attached).</summary>
    public T GetExtension<T>(Func<ActorSystem, T> create) where T : class
    {
        lock (_extensionsGate)
        {
            if (_extensions.TryGetValue(typeof(T), out var existing))
            {
                return (T)existing;
            }
            var created = create(this);
            _extensions[typeof(T)] = created;
            return created;
        }
    }

    internal void OnRootTerminated()
    {
        Scheduler.Stop();
        _terminated.TrySetResult();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose() => Terminate().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override string ToString() => Address.ToString();
}
