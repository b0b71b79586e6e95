namespace Agent.Actors.Tests.TestBeds;

/// <summary>Whether the real test beds of DESIGN.md can run on this machine, and where their scripts are.</summary>
internal static class TestBeds
{
    /// <summary>AGENT_REQUIRE_TESTBEDS=1 (set by CI) turns an unavailable bed into a failure instead of a skip.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("AGENT_REQUIRE_TESTBEDS") == "1";

    public static string DnsBedScript => Path.Combine(AppContext.BaseDirectory, "TestBeds", "dns-bed.sh");

    /// <summary>Why the DNS bed cannot run here, or null when it can.</summary>
    public static string? DnsBedUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux";
        }
        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root (unshare --mount, bind mounts, port 53)";
        }
        foreach (var tool in new[] { "unshare", "dnsmasq", "python3", "bash" })
        {
            if (FindExecutable(tool) is null)
            {
                return $"'{tool}' not found{(tool == "dnsmasq" ? " (apt-get install dnsmasq-base)" : "")}";
            }
        }
        return File.Exists(DnsBedScript) ? null : $"{DnsBedScript} missing";
    }

    /// <summary>Fails the test (instead of silently passing) when the bed was required but is missing.</summary>
    public static void RequireDnsBed()
    {
        if (DnsBedUnavailableReason() is { } reason)
        {
            throw new InvalidOperationException($"DNS test bed required (AGENT_REQUIRE_TESTBEDS=1) but unavailable: {reason}");
        }
    }

    private static string? FindExecutable(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return path.Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
