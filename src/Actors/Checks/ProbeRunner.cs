using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Checks;
using Akka.Actor;
using Akka.Event;

namespace Agent.Actors.Checks;

/// <summary>
/// A node's probe runner: answers every <see cref="RunProbe"/> with exactly one <see cref="ProbeResult"/>, running at
/// most <see cref="ProbeRunnerSettings.MaxConcurrent"/> <see cref="ProbeActor"/>s at once. A request for a probe
/// (target and options) already waiting or running joins it and gets the same result; one probed less than
/// <see cref="ProbeRunnerSettings.MinInterval"/> ago is answered from that result, marked <c>cached</c> (answering
/// rather than queueing keeps a burst of identical checks from hitting the target, and from waiting); others wait
/// in a bounded FIFO queue, after their start jitter if any, and a request beyond the queue's bound is answered at
/// once with <c>BlockingIOError</c>. A request <see cref="RunProbe.Validate"/> refuses is a <c>ValueError</c> result.
/// </summary>
public sealed class ProbeRunner : ReceiveActor, IWithTimers
{
    /// <summary>A node's runner's name under <c>/user</c>, the same on every node: checks send their probes there.</summary>
    public const string Name = "probes";

    private readonly IActorRef _io;
    private readonly IActorRef _resolver;
    private readonly ProbeRunnerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // Every probe asked for and not yet answered (jittering, queued or running), with who waits for it.
    private readonly Dictionary<Key, List<IActorRef>> _pending = [];
    private readonly Queue<Key> _queue = new();
    private readonly Dictionary<IActorRef, Key> _running = [];
    private readonly Dictionary<Key, (ProbeResult Result, DateTime At)> _last = [];
    private int _jittering;

    private ProbeRunner(IActorRef io, IActorRef resolver, ProbeRunnerSettings settings)
    {
        _io = io;
        _resolver = resolver;
        _settings = settings;
        Receive<RunProbe>(OnRun);
        Receive<ProbeResult>(OnResult);
        Receive<JitterDone>(done =>
        {
            _jittering--;
            Admit(done.Key);
        });
        Receive<Terminated>(OnTerminated);
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The runner; <paramref name="io"/> the node's IO manager, <paramref name="resolver"/> its <c>ResolverActor</c>.</summary>
    public static Props Props(IActorRef io, IActorRef resolver, ProbeRunnerSettings? settings = null)
    {
        var s = settings ?? ProbeRunnerSettings.Default;
        s.Validate();
        return FactoryProps.Of(() => new ProbeRunner(io, resolver, s));
    }

    /// <summary>Probes running now.</summary>
    internal int Running => _running.Count;

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <inheritdoc />
    protected override void PostStop()
    {
        // Running probes answer us as they stop, too late for anyone: everyone still waiting is answered here.
        foreach (var (key, waiters) in _pending)
        {
            var result = ProbeActor.Failed(key.Target, new PythonError("ConnectionAbortedError", OsErrors.ECONNABORTED, "probe runner stopped"));
            waiters.ForEach(w => w.Tell(result, Self));
        }
    }

    private void OnRun(RunProbe run)
    {
        var key = new Key(run.Target, run.EffectiveOptions);
        if (_pending.TryGetValue(key, out var waiters))
        {
            // One answer per probe run and requester, however often it asks while the probe waits or runs.
            if (!waiters.Contains(Sender))
            {
                waiters.Add(Sender);
            }
            return;
        }
        if (_settings.MinInterval > TimeSpan.Zero && _last.TryGetValue(key, out var last))
        {
            if (DateTime.UtcNow - last.At < _settings.MinInterval)
            {
                Sender.Tell(last.Result with { Cached = true }, Self);
                return;
            }
            _last.Remove(key);
        }
        // Only here: a probe waiting, running or remembered passed already (validating compiles every expect's regex).
        if (run.Validate() is { } problem)
        {
            Sender.Tell(ProbeActor.Failed(run.Target, new PythonError("ValueError", null, problem)), Self);
            return;
        }
        var room = _running.Count < _settings.MaxConcurrent && _queue.Count == 0;
        if (!(room && _settings.StartJitter == TimeSpan.Zero) && _queue.Count + _jittering >= _settings.MaxQueued)
        {
            Sender.Tell(ProbeActor.Failed(run.Target, OsErrors.FromErrno(OsErrors.EAGAIN) with
            {
                Strerror = $"Resource temporarily unavailable (probe queue full: {_running.Count} running, {_queue.Count + _jittering} waiting)",
            }), Self);
            return;
        }
        _pending[key] = [Sender];
        if (_settings.StartJitter > TimeSpan.Zero)
        {
            _jittering++;
            Timers.StartSingleTimer(key, new JitterDone(key), TimeSpan.FromTicks(Random.Shared.NextInt64(_settings.StartJitter.Ticks)));
            return;
        }
        Admit(key);
    }

    private void Admit(Key key)
    {
        if (_running.Count < _settings.MaxConcurrent && _queue.Count == 0)
        {
            Start(key);
        }
        else
        {
            _queue.Enqueue(key);
        }
    }

    private void Start(Key key)
    {
        var probe = Context.ActorOf(ProbeActor.Props(new RunProbe(key.Target, key.Options), Self, _io, _resolver, _settings.Io));
        Context.Watch(probe);
        _running[probe] = key;
    }

    private void OnResult(ProbeResult result)
    {
        if (!_running.Remove(Sender, out var key))
        {
            Unhandled(result);
            return;
        }
        Context.Unwatch(Sender);
        Complete(key, result);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_running.Remove(terminated.ActorRef, out var key))
        {
            // A probe always answers as it stops; one that did not crashed before it could.
            _log.Warning("Probe of {Target} stopped without a result", key.Target);
            Complete(key, ProbeActor.Failed(key.Target, new PythonError("RuntimeError", null, "probe crashed")));
        }
    }

    private void Complete(Key key, ProbeResult result)
    {
        if (_pending.Remove(key, out var waiters))
        {
            waiters.ForEach(w => w.Tell(result, Self));
        }
        Remember(key, result);
        while (_queue.Count > 0 && _running.Count < _settings.MaxConcurrent)
        {
            Start(_queue.Dequeue());
        }
    }

    private void Remember(Key key, ProbeResult result)
    {
        if (_settings.MinInterval <= TimeSpan.Zero || _settings.MaxRemembered == 0)
        {
            return;
        }
        var now = DateTime.UtcNow;
        if (_last.Count >= _settings.MaxRemembered)
        {
            foreach (var stale in _last.Where(e => now - e.Value.At >= _settings.MinInterval).Select(e => e.Key).ToList())
            {
                _last.Remove(stale);
            }
            if (_last.Count >= _settings.MaxRemembered)
            {
                _last.Remove(_last.MinBy(e => e.Value.At).Key);
            }
        }
        _last[key] = (result, now);
    }

    // A probe: the same target with the same options is the same probe.
    private sealed record Key(ProbeTarget Target, ProbeOptions Options);

    private sealed record JitterDone(Key Key) : ISelfMessage;
}
