namespace Agent.Actors.Tests.TestBeds;

/// <summary>Finds outside tools and scales test deadlines by AGENT_TEST_TIME_FACTOR.</summary>
public static class Testbed
{
    /// <summary>True when <c>AGENT_REQUIRE_TESTBEDS=1</c>: missing tools fail instead of skipping.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("AGENT_REQUIRE_TESTBEDS") == "1";

    /// <summary>The factor from <c>AGENT_TEST_TIME_FACTOR</c> (default 1) applied to every deadline.</summary>
    public static double TimeFactor =>
        double.TryParse(Environment.GetEnvironmentVariable("AGENT_TEST_TIME_FACTOR"),
            System.Globalization.CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1.0;

    /// <summary><paramref name="seconds"/> scaled by <see cref="TimeFactor"/>.</summary>
    public static TimeSpan Dilated(double seconds) => TimeSpan.FromSeconds(seconds * TimeFactor);

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>The full path of <paramref name="tool"/>; throws (failing the test) when it is missing.</summary>
    public static string Tool(string tool) =>
        Find(tool) ?? throw new InvalidOperationException(
            $"{tool} is required by this test (AGENT_REQUIRE_TESTBEDS=1) but is not on PATH");
}
