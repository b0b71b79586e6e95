using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>Options of a <see cref="ResolverActor"/>; defaults give CPython's behaviour (no cache).</summary>
public sealed record ResolverSettings
{
    /// <summary>The defaults.</summary>
    public static ResolverSettings Default { get; } = new();

    /// <summary>
    /// Dedicated threads that make the blocking libc calls. Defaults to 16; a hung DNS
    /// server can hold at most this many threads, never the .NET thread pool.
    /// </summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>
    /// How long a request may take before it is answered with a timeout failure (the libc
    /// call finishes in the background and its result is discarded). Defaults to 10 s,
    /// above glibc's default 5 s x 2 attempts for one nameserver.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long successful answers are cached; null (the default) disables the positive cache.</summary>
    public TimeSpan? PositiveTtl { get; init; }

    /// <summary>How long failures (not timeouts) are cached; null (the default) disables the negative cache.</summary>
    public TimeSpan? NegativeTtl { get; init; }

    /// <summary>
    /// Most cached answers kept. Defaults to 10,000; bounds memory when an untrusted
    /// peer asks for many distinct names.
    /// </summary>
    public int MaxCacheEntries { get; init; } = 10_000;

    /// <summary>Whether identical requests in flight share one libc call. Defaults to true.</summary>
    public bool CoalesceInFlight { get; init; } = true;

    /// <summary>The clock of the cache's TTLs. Defaults to the system clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The blocking lookup. Defaults to <see cref="NativeLookups.Run"/>; it throws
    /// <see cref="PythonException"/> for Python-level failures and anything else for bugs.
    /// </summary>
    public Func<ResolutionRequest, ResolutionResult> Lookup { get; init; } = NativeLookups.Run;
}
