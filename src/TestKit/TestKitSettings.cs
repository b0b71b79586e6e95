using System.Globalization;

namespace Agent.TestKit;

/// <summary>Test timing: every default timeout is multiplied by the time factor.</summary>
public static class TestKitSettings
{
    /// <summary>The environment variable holding the time factor (a positive number, e.g. 3 on a slow CI machine).</summary>
    public const string TimeFactorVariable = "AGENT_TEST_TIME_FACTOR";

    /// <summary>The default timeout of a single expectation before dilation. 3 s.</summary>
    public static TimeSpan DefaultSingleExpect { get; } = TimeSpan.FromSeconds(3);

    /// <summary>The factor from <see cref="TimeFactorVariable"/>; 1 when unset or invalid.</summary>
    public static double TimeFactor { get; } = ReadTimeFactor();

    /// <summary>Scales a duration by <see cref="TimeFactor"/>.</summary>
    public static TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));

    private static double ReadTimeFactor()
    {
        var text = Environment.GetEnvironmentVariable(TimeFactorVariable);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0 ? factor : 1.0;
    }
}
