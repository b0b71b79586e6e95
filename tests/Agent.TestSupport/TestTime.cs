namespace Agent.TestSupport;

/// <summary>
/// Test deadlines scaled by <c>AGENT_TEST_TIME_FACTOR</c> (3 on the slow shared CI machines). The same factor
/// is Akka's <c>akka.test.timefactor</c> in <see cref="AgentTestKit"/>, so every deadline of a test dilates alike.
/// </summary>
public static class TestTime
{
    /// <summary>The environment variable holding the factor.</summary>
    public const string FactorVariable = "AGENT_TEST_TIME_FACTOR";

    /// <summary>The factor; 1 when unset or not a positive number.</summary>
    public static double Factor { get; } =
        double.TryParse(Environment.GetEnvironmentVariable(FactorVariable), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1.0;

    /// <summary><paramref name="span"/> times the factor.</summary>
    public static TimeSpan Dilated(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span * Factor;

    /// <summary>That many seconds, times the factor.</summary>
    public static TimeSpan Seconds(double seconds) => Dilated(TimeSpan.FromSeconds(seconds));
}
