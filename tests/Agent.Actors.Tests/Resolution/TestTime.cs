namespace Agent.Actors.Tests.Resolution;

/// <summary>Test deadlines scaled by AGENT_TEST_TIME_FACTOR (for slow or shared CI machines).</summary>
internal static class TestTime
{
    public static double Factor { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("AGENT_TEST_TIME_FACTOR"), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1.0;

    public static TimeSpan Dilated(TimeSpan span) => span * Factor;

    public static TimeSpan Seconds(double seconds) => Dilated(TimeSpan.FromSeconds(seconds));
}
