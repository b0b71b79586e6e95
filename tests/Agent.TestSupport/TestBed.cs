namespace Agent.TestSupport;

/// <summary>
/// What the real test beds of a test need (outside tools on PATH, root) and whether they
/// are required: with <c>AGENT_REQUIRE_TESTBEDS=1</c> (set by CI) a missing need fails the
/// test instead of skipping it, so a missing install step cannot hide behind a skip.
/// </summary>
public static class TestBed
{
    /// <summary>The environment variable that turns skips into failures.</summary>
    public const string RequireVariable = "AGENT_REQUIRE_TESTBEDS";

    /// <summary>The need that stands for "runs as root" rather than a tool.</summary>
    public const string Root = "root";

    /// <summary>True when <c>AGENT_REQUIRE_TESTBEDS=1</c>.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Seconds scaled by the time factor.</summary>
    public static TimeSpan Dilated(double seconds) => TestTime.Seconds(seconds);

    /// <summary>The full path of <paramref name="tool"/> on PATH (or in the sbin folders), or null.</summary>
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>The needs (tool names, or <see cref="Root"/>) this machine does not meet.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> needs) =>
        [.. needs.Where(need => need == Root ? !Environment.IsPrivilegedProcess : Find(need) is null)];

    /// <summary>The full path of <paramref name="tool"/>; throws (failing the test) when it is missing.</summary>
    public static string Tool(string tool) =>
        Find(tool) ?? throw new InvalidOperationException($"{tool} is required by this test ({RequireVariable}=1) but is not on PATH");

    /// <summary>Why a test with these needs is skipped on this machine, or null when it runs (all met, or required by CI).</summary>
    public static string? SkipReason(IEnumerable<string> needs) =>
        !Required && Missing(needs) is { Count: > 0 } missing
            ? $"needs {string.Join(", ", missing)} (install: apt-get install -y dnsmasq-base socat ncat iproute2 prometheus); {RequireVariable}=1 makes this a failure"
            : null;

    /// <summary>Throws (failing the test) unless every need is met.</summary>
    public static void Require(params string[] needs)
    {
        if (Missing(needs) is { Count: > 0 } missing)
        {
            throw new InvalidOperationException($"This test needs {string.Join(", ", missing)} ({RequireVariable}=1 makes a missing need a failure)");
        }
    }
}
