using Agent.Actors.Io;

namespace Agent.Actors.Checks;

/// <summary>Limits of a node's <see cref="ProbeRunner"/>; bounded defaults.</summary>
public sealed record ProbeRunnerSettings
{
    /// <summary>The defaults.</summary>
    public static readonly ProbeRunnerSettings Default = new();

    /// <summary>Probes running at once. Defaults to 64; each holds at most two sockets (family both).</summary>
    public int MaxConcurrent { get; init; } = 64;

    /// <summary>
    /// Distinct probes waiting for a slot (queued or in their start jitter). Defaults to 1,024. Beyond it a request is
    /// answered at once with a <c>BlockingIOError</c> result, never dropped, so a flood of requests cannot grow the node.
    /// </summary>
    public int MaxQueued { get; init; } = 1024;

    /// <summary>
    /// A target probed (with the same options) less than this ago is answered from the last result, marked
    /// <c>cached</c>, instead of probed again. Defaults to 1 s; zero turns it off.
    /// </summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each probe starts after a random delay below this, so probers started together do not hit a target in step
    /// (and fake latency spikes). Defaults to zero (off), right for on-demand checks; continuous checks set it to their interval.
    /// </summary>
    public TimeSpan StartJitter { get; init; } = TimeSpan.Zero;

    /// <summary>Last results kept for <see cref="MinInterval"/>. Defaults to 10,000; the oldest go first beyond it.</summary>
    public int MaxRemembered { get; init; } = 10_000;

    /// <summary>The settings of the IO manager the probes use.</summary>
    public IoSettings Io { get; init; } = IoSettings.Default;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrent, 1, nameof(MaxConcurrent));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueued, 0, nameof(MaxQueued));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinInterval, TimeSpan.Zero, nameof(MinInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(StartJitter, TimeSpan.Zero, nameof(StartJitter));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRemembered, 0, nameof(MaxRemembered));
    }
}
