using System.Diagnostics;
using Agent.Messages;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Actors.Resolution;

/// <summary>
/// The node's resolver. Accepts any <see cref="ResolutionRequest"/> from any sender and
/// answers it exactly once with <see cref="Resolved"/> or <see cref="ResolutionFailed"/>.
/// Each libc lookup runs in its own child <see cref="ResolutionRequestActor"/> on a bounded
/// dedicated thread pool this actor owns; identical requests in flight share one child;
/// an optional TTL cache answers repeats. A request not answered within
/// <see cref="ResolverSettings.Timeout"/> gets a <c>TimeoutError</c> failure and its child is
/// stopped (the stuck libc call finishes in the background, discarded). A request refused
/// as an argument (NUL byte, over-long name, port above 65535) gets a <c>ValueError</c>
/// without a lookup. A getaddrinfo of a numeric host with a numeric or absent service needs no I/O and is
/// answered at once (<see cref="NativeLookups.TryNumeric"/>). A crashing child is stopped and its requesters get a <c>RuntimeError</c>.
/// </summary>
public sealed class ResolverActor : ReceiveActor, IWithTimers
{
    private readonly ResolverSettings _settings;
    private readonly ResolutionCache _cache;
    private readonly Dictionary<ResolutionRequest, InFlight> _inFlight = [];
    private readonly Dictionary<IActorRef, InFlight> _byChild = [];

    // Arrival order is deadline order (one timeout for all), so one timer for the oldest
    // request replaces a timer per request.
    private readonly LinkedList<InFlight> _byDeadline = new();
    private BlockingLookupPool? _pool;
    private long _counter;

    /// <summary>Creates the resolver; use <see cref="Props(ResolverSettings?)"/>.</summary>
    public ResolverActor(ResolverSettings settings)
    {
        _settings = settings;
        _cache = new ResolutionCache(settings);
        Receive<ResolutionRequest>(OnRequest);
        Receive<RequestCompleted>(OnCompleted);
        Receive<Terminated>(OnTerminated);
        Receive<SweepDeadlines>(_ => OnSweep());
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a resolver with <paramref name="settings"/> (defaults when null).</summary>
    public static Props Props(ResolverSettings? settings = null)
    {
        settings ??= ResolverSettings.Default;
        Validate(settings);
        return FactoryProps.Of(() => new ResolverActor(settings));
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of its range.</summary>
    public static void Validate(ResolverSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Concurrency, 1, nameof(settings.Concurrency));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.Timeout, TimeSpan.Zero, nameof(settings.Timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(settings.MaxCacheEntries, nameof(settings.MaxCacheEntries));
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    /// <inheritdoc />
    protected override void PreStart() => _pool = new BlockingLookupPool(_settings.Concurrency, _settings.Lookup);

    /// <inheritdoc />
    protected override void PostStop()
    {
        _pool?.Dispose();
        foreach (var flight in _byChild.Values)
        {
            Fail(flight, new PythonError("RuntimeError", null, "resolver stopped before the lookup finished"));
        }
        _inFlight.Clear();
        _byChild.Clear();
        _byDeadline.Clear();
    }

    private void OnRequest(ResolutionRequest request)
    {
        if (NativeLookups.ArgumentProblem(request) is { } problem)
        {
            Sender.Tell(new ResolutionFailed(request, new PythonError("ValueError", null, problem)), Self);
            return;
        }
        if (_cache.TryGet(request) is { } cached)
        {
            Sender.Tell(cached, Self);
            return;
        }
        if (request is GetAddrInfo addrInfo && NativeLookups.TryNumeric(addrInfo) is { } numeric)
        {
            // No I/O to wait for: answered on this turn, without a request actor or the blocking pool.
            Sender.Tell(new Resolved(request, numeric), Self);
            return;
        }
        if (_settings.CoalesceInFlight && _inFlight.TryGetValue(request, out var existing))
        {
            existing.Waiters.Add(Sender);
            return;
        }
        var (child, abandon) = ResolutionRequestActor.Start(Context, $"request-{++_counter}", request, _pool!);
        Context.Watch(child);
        var flight = new InFlight(request, child, abandon, Stopwatch.GetTimestamp() + (long)(_settings.Timeout.TotalSeconds * Stopwatch.Frequency));
        flight.Waiters.Add(Sender);
        flight.Node = _byDeadline.AddLast(flight);
        _byChild[child] = flight;
        if (_settings.CoalesceInFlight)
        {
            _inFlight[request] = flight;
        }
        if (!Timers.IsTimerActive(SweepDeadlines.Instance))
        {
            Timers.StartSingleTimer(SweepDeadlines.Instance, SweepDeadlines.Instance, _settings.Timeout);
        }
    }

    private void OnCompleted(RequestCompleted completed)
    {
        if (!_byChild.TryGetValue(Sender, out var flight))
        {
            return; // Already timed out: the late answer is discarded.
        }
        Finish(flight);
        _cache.Add(flight.Request, completed.Reply);
        foreach (var waiter in flight.Waiters)
        {
            waiter.Tell(completed.Reply, Self);
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_byChild.TryGetValue(terminated.ActorRef, out var flight))
        {
            Finish(flight);
            Fail(flight, new PythonError("RuntimeError", null, "resolver request actor crashed"));
        }
    }

    private void OnSweep()
    {
        var now = Stopwatch.GetTimestamp();
        while (_byDeadline.First is { } first && first.Value.Deadline <= now)
        {
            var flight = first.Value;
            Finish(flight);
            Fail(flight, new PythonError(ResolutionFailed.TimeoutKind, null,
                $"lookup timed out after {_settings.Timeout.TotalMilliseconds:0} ms"));
        }
        if (_byDeadline.First is { } next)
        {
            var wait = Stopwatch.GetElapsedTime(now, next.Value.Deadline);
            Timers.StartSingleTimer(SweepDeadlines.Instance, SweepDeadlines.Instance, wait);
        }
    }

    /// <summary>Forgets the flight and stops its child (abandoning a call still in libc).</summary>
    private void Finish(InFlight flight)
    {
        _byChild.Remove(flight.Child);
        _byDeadline.Remove(flight.Node!);
        if (_inFlight.TryGetValue(flight.Request, out var current) && ReferenceEquals(current, flight))
        {
            _inFlight.Remove(flight.Request);
        }
        Context.Unwatch(flight.Child);
        // Abandon now, not in the child's PostStop: a pool thread that frees up must already see it.
        flight.Abandon.Cancel();
        Context.Stop(flight.Child);
    }

    private void Fail(InFlight flight, PythonError error)
    {
        var failure = new ResolutionFailed(flight.Request, error);
        foreach (var waiter in flight.Waiters)
        {
            waiter.Tell(failure, Self);
        }
    }

    private sealed class InFlight(ResolutionRequest request, IActorRef child, CancellationTokenSource abandon, long deadline)
    {
        public ResolutionRequest Request { get; } = request;

        public IActorRef Child { get; } = child;

        public CancellationTokenSource Abandon { get; } = abandon;

        public long Deadline { get; } = deadline;

        public List<IActorRef> Waiters { get; } = [];

        public LinkedListNode<InFlight>? Node { get; set; }
    }

    private sealed class SweepDeadlines : ISelfMessage
    {
        public static SweepDeadlines Instance { get; } = new();
    }
}
