namespace Agent.Actors.Kernel;

/// <summary>
/// Ordered, run-once shutdown of a system (Akka.NET's <c>CoordinatedShutdown</c>): tasks
/// are registered per phase; <see cref="Run"/> runs the phases in order, the tasks of a
/// phase concurrently, each phase bounded by its timeout (a phase that times out is
/// logged and the next one starts), and the last phase terminates the actor system.
/// </summary>
public sealed class CoordinatedShutdown
{
    /// <summary>Before listeners stop accepting.</summary>
    public const string PhaseBeforeServiceUnbind = "before-service-unbind";

    /// <summary>Listeners stop accepting; Unix socket nodes are removed.</summary>
    public const string PhaseServiceUnbind = "service-unbind";

    /// <summary>Wait for in-flight requests.</summary>
    public const string PhaseServiceRequestsDone = "service-requests-done";

    /// <summary>Services stop; connections close.</summary>
    public const string PhaseServiceStop = "service-stop";

    /// <summary>Last chance before actors stop.</summary>
    public const string PhaseBeforeActorSystemTerminate = "before-actor-system-terminate";

    /// <summary>The actor system terminates.</summary>
    public const string PhaseActorSystemTerminate = "actor-system-terminate";

    /// <summary>All phases, in the order they run.</summary>
    public static IReadOnlyList<string> Phases { get; } =
    [
        PhaseBeforeServiceUnbind,
        PhaseServiceUnbind,
        PhaseServiceRequestsDone,
        PhaseServiceStop,
        PhaseBeforeActorSystemTerminate,
        PhaseActorSystemTerminate,
    ];

    private readonly ActorSystem _system;
    private readonly Dictionary<string, List<(string Name, Func<Task> Task)>> _tasks = [];
    private readonly Dictionary<string, TimeSpan> _timeouts = [];
    private readonly Lock _gate = new();
    private Task? _run;

    private CoordinatedShutdown(ActorSystem system) => _system = system;

    /// <summary>The coordinated shutdown of <paramref name="system"/>.</summary>
    public static CoordinatedShutdown Get(ActorSystem system) => system.GetExtension(s => new CoordinatedShutdown(s));

    /// <summary>Why the shutdown ran, once it has started; null before.</summary>
    public string? Reason { get; private set; }

    /// <summary>Registers a task for a phase; throws once the shutdown has started or for an unknown phase.</summary>
    public void AddTask(string phase, string taskName, Func<Task> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!Phases.Contains(phase))
        {
            throw new ArgumentException($"Unknown shutdown phase '{phase}'; known: {string.Join(", ", Phases)}.", nameof(phase));
        }
        lock (_gate)
        {
            if (_run is not null)
            {
                throw new InvalidOperationException($"Cannot add task '{taskName}': coordinated shutdown has already started.");
            }
            if (!_tasks.TryGetValue(phase, out var list))
            {
                _tasks[phase] = list = [];
            }
            list.Add((taskName, task));
        }
    }

    /// <summary>Overrides the timeout of one phase (default: the system's <c>ShutdownPhaseTimeout</c>).</summary>
    public void SetPhaseTimeout(string phase, TimeSpan timeout)
    {
        lock (_gate)
        {
            _timeouts[phase] = timeout;
        }
    }

    /// <summary>Runs the shutdown once; later calls return the same task.</summary>
    public Task Run(string reason)
    {
        lock (_gate)
        {
            if (_run is null)
            {
                Reason = reason;
                _run = RunPhases();
            }
            return _run;
        }
    }

    private async Task RunPhases()
    {
        await Task.Yield();
        _system.Log.Info("Coordinated shutdown started: {Reason}", Reason);
        foreach (var phase in Phases)
        {
            List<(string Name, Func<Task> Task)> tasks;
            TimeSpan timeout;
            lock (_gate)
            {
                tasks = _tasks.TryGetValue(phase, out var list) ? [.. list] : [];
                timeout = _timeouts.GetValueOrDefault(phase, _system.Settings.ShutdownPhaseTimeout);
            }
            if (phase == PhaseActorSystemTerminate)
            {
                tasks.Add(("terminate-system", () => _system.Terminate()));
            }
            if (tasks.Count == 0)
            {
                continue;
            }
            var all = Task.WhenAll(tasks.Select(t => RunTask(phase, t.Name, t.Task)));
            var finished = await Task.WhenAny(all, Task.Delay(timeout, _system.TimeProvider)).ConfigureAwait(false);
            if (finished != all)
            {
                _system.Log.Warning("Coordinated shutdown phase {Phase} timed out after {Timeout}", phase, timeout);
            }
        }
    }

    private async Task RunTask(string phase, string name, Func<Task> task)
    {
        try
        {
            await task().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _system.Log.Error(e, "Coordinated shutdown task {Task} of phase {Phase} failed", name, phase);
        }
    }
}
