using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>
/// TTL cache of resolver answers keyed by the request value: successes for the positive
/// TTL, Python failures for the negative TTL, timeouts never. Used by one actor only.
/// </summary>
internal sealed class ResolutionCache(ResolverSettings settings)
{
    private readonly Dictionary<ResolutionRequest, Entry> _entries = [];

    public int Count => _entries.Count;

    /// <summary>The cached reply for <paramref name="request"/>, re-addressed to it, if fresh.</summary>
    public object? TryGet(ResolutionRequest request)
    {
        if (!_entries.TryGetValue(request, out var entry))
        {
            return null;
        }
        if (entry.Expires <= settings.Clock.GetUtcNow())
        {
            _entries.Remove(request);
            return null;
        }
        return entry.Reply switch
        {
            Resolved r => r with { Request = request },
            ResolutionFailed f => f with { Request = request },
            _ => null,
        };
    }

    /// <summary>Keeps <paramref name="reply"/> if its kind of answer has a TTL and there is room.</summary>
    public void Add(ResolutionRequest request, object reply)
    {
        var ttl = reply switch
        {
            Resolved => settings.PositiveTtl,
            ResolutionFailed { TimedOut: false } => settings.NegativeTtl,
            _ => null,
        };
        if (ttl is not { } life || life <= TimeSpan.Zero)
        {
            return;
        }
        var now = settings.Clock.GetUtcNow();
        if (_entries.Count >= settings.MaxCacheEntries && !_entries.ContainsKey(request))
        {
            foreach (var stale in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
            {
                _entries.Remove(stale);
            }
            if (_entries.Count >= settings.MaxCacheEntries)
            {
                return;
            }
        }
        _entries[request] = new Entry(reply, now + life);
    }

    private readonly record struct Entry(object Reply, DateTimeOffset Expires);
}
