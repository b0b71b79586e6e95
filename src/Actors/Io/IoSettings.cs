namespace Agent.Actors.Io;

/// <summary>Limits shared by every socket actor of one <see cref="IoManager"/>; bounded defaults.</summary>
public sealed record IoSettings
{
    /// <summary>The defaults.</summary>
    public static readonly IoSettings Default = new();

    /// <summary>
    /// Bytes a connection or datagram endpoint may hold queued for the kernel. Defaults to 4 MiB.
    /// Over it a write fails with <c>BlockingIOError</c> instead of queueing, so a peer that stops
    /// reading cannot make the node buffer without bound. A single write larger than the limit is
    /// accepted only when nothing else is queued.
    /// </summary>
    public int MaxPendingWriteBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How long a new connection waits for <c>Register</c> before closing. Defaults to 10 s.</summary>
    public TimeSpan RegisterTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First pause after an accept fails for lack of descriptors. Defaults to 50 ms.</summary>
    public TimeSpan AcceptBackoffMin { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest pause between accept retries. Defaults to 2 s.</summary>
    public TimeSpan AcceptBackoffMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a listener or datagram endpoint checks that its Unix node is still the one it created. Defaults to 2 s.
    /// One whose node was removed or replaced stops (its handler sees it terminate; an echo service then binds again),
    /// rather than run on unreachable.
    /// </summary>
    public TimeSpan UnixNodeCheckInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Default Happy Eyeballs connection attempt delay (RFC 8305 recommends 250 ms).</summary>
    public TimeSpan ConnectionAttemptDelay { get; init; } = TimeSpan.FromMilliseconds(250);
}
