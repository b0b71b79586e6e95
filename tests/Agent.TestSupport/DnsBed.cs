
namespace Agent.TestSupport;

/// <summary>The real DNS test bed of DESIGN.md: its script and what it needs.</summary>
public static class DnsBed
{
    public static readonly string[] Needs = [TestBed.Root, "unshare", "dnsmasq", "python3", "bash"];

    public static string Script => Path.Combine(AppContext.BaseDirectory, "TestBeds", "dns-bed.sh");

    /// <summary>Fails the test (instead of silently passing) when the bed was required but is missing.</summary>
    public static void Require()
    {
        TestBed.Require(Needs);
        if (!File.Exists(Script))
        {
            throw new InvalidOperationException($"{Script} is missing from the test output");
        }
    }
}
