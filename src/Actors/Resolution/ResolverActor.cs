using Agent.Actors.Kernel;
using Agent.Messages;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>
/// The node's resolver. Accepts any <see cref="ResolutionRequest"/> from any sender and
/// answers it exactly once with <see cref="Resolved"/> or <see cref="ResolutionFailed"/>.
/// Each libc lookup runs in its own child <see cref="ResolutionRequestActor"/> on a bounded
/// dedicated thread pool this actor owns; identical requests in flight share one child;
/// an optional TTL cache answers repeats. A request refused as an argument (NUL byte,
/// over-long name, port above 65535) is answered with a <c>ValueError</c> without a lookup.
/// A crashing child is stopped and its requesters get a <c>RuntimeError</c> failure.
/// </summary>
public sealed class ResolverActor : ReceiveActor
{
    private readonly ResolverSettings _settings;
    private readonly ResolutionCache _cache;
    private readonly Dictionary<ResolutionRequest, InFlight> _inFlight = [];
    private readonly Dictionary<IActorRef, InFlight> _byChild = [];
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
    }

    /// <summary>Props for a resolver with <paramref name="settings"/> (defaults when null).</summary>
    public static Props Props(ResolverSettings? settings = null) =>
        Kernel.Props.FromFactory(() => new ResolverActor(settings ?? ResolverSettings.Default));

    /// <inheritdoc />
    protected internal override SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.StoppingStrategy;

    /// <inheritdoc />
    protected internal override void PreStart() => _pool = new BlockingLookupPool(_settings.Concurrency, _settings.Lookup);

    /// <inheritdoc />
    protected internal override void PostStop()
    {
        _pool?.Dispose();
        foreach (var flight in _inFlight.Values.Distinct())
        {
            Reply(flight, "resolver stopped before the lookup finished");
        }
        _inFlight.Clear();
        _byChild.Clear();
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
        if (_settings.CoalesceInFlight && _inFlight.TryGetValue(request, out var existing))
        {
            existing.Waiters.Add(Sender);
            return;
        }
        var child = Context.ActorOf(
            Kernel.Props.FromFactory(() => new ResolutionRequestActor(request, _pool!, _settings.Timeout)),
            $"request-{++_counter}");
        Context.Watch(child);
        var flight = new InFlight(request, child, [Sender]);
        _byChild[child] = flight;
        if (_settings.CoalesceInFlight)
        {
            _inFlight[request] = flight;
        }
    }

    private void OnCompleted(RequestCompleted completed)
    {
        if (!_byChild.Remove(Sender, out var flight))
        {
            return;
        }
        Context.Unwatch(Sender);
        Forget(flight);
        _cache.Add(flight.Request, completed.Reply);
        foreach (var waiter in flight.Waiters)
        {
            waiter.Tell(completed.Reply, Self);
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_byChild.Remove(terminated.ActorRef, out var flight))
        {
            Forget(flight);
            Reply(flight, "resolver request actor crashed");
        }
    }

    private void Forget(InFlight flight)
    {
        if (_inFlight.TryGetValue(flight.Request, out var current) && ReferenceEquals(current, flight))
        {
            _inFlight.Remove(flight.Request);
        }
    }

    private void Reply(InFlight flight, string why)
    {
        var failure = new ResolutionFailed(flight.Request, new PythonError("RuntimeError", null, why));
        foreach (var waiter in flight.Waiters)
        {
            waiter.Tell(failure, Self);
        }
        flight.Waiters.Clear();
    }

    private sealed record InFlight(ResolutionRequest Request, IActorRef Child, List<IActorRef> Waiters);
}
