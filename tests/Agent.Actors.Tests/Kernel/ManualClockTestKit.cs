namespace Agent.Actors.Tests.Kernel;

/// <summary>A TestKit whose actor system runs on a <see cref="ManualTimeProvider"/>: timers fire only when a test moves <see cref="Clock"/>.</summary>
public abstract class ManualClockTestKit : ActorTestKit
{
    /// <summary>A fresh system on a fresh manual clock; <paramref name="settings"/> (if given) with its clock replaced.</summary>
    protected ManualClockTestKit(ITestOutputHelper output, ActorSystemSettings? settings = null)
        : this(output, new ManualTimeProvider(), settings)
    {
    }

    private ManualClockTestKit(ITestOutputHelper output, ManualTimeProvider clock, ActorSystemSettings? settings)
        : base(output, (settings ?? new ActorSystemSettings()) with { TimeProvider = clock })
    {
        Clock = clock;
    }

    /// <summary>The system's clock.</summary>
    protected ManualTimeProvider Clock { get; }
}
