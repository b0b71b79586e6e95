namespace Agent.TestSupport;

/// <summary>
/// DESIGN.md's real multi-host bed: <c>../shared/testbeds/netns-lan.sh</c> (beside the clone) builds network namespaces
/// joined by a bridge, host I at 10.77.0.I, each with a loopback of its own. Every bed has a prefix of its own, so runs
/// side by side never meet, and is removed on dispose.
/// </summary>
public sealed class LanBed : IAsyncDisposable
{
    /// <summary>Root (namespaces, links), <c>ip</c> (Debian iproute2) and bash for the script.</summary>
    public static readonly string[] Needs = [TestBed.Root, "ip", "bash"];

    private LanBed(string prefix) => Prefix = prefix;

    /// <summary>The script: <c>shared/testbeds/netns-lan.sh</c> beside the directory holding Agent.sln.</summary>
    public static string Script { get; } = FindScript();

    /// <summary>The bed's namespaces are <c>PREFIX-hub</c> and <c>PREFIX-1</c>..<c>PREFIX-N</c>.</summary>
    public string Prefix { get; }

    /// <summary>Builds a LAN of <paramref name="hosts"/> hosts; fails the test when the bed is missing.</summary>
    public static async Task<LanBed> UpAsync(int hosts)
    {
        TestBed.Require(Needs);
        if (!File.Exists(Script))
        {
            throw new InvalidOperationException($"{Script} is missing: the multi-host tests run with ../shared/testbeds beside the clone");
        }
        // Short: link names (PREFIX-vI) must stay within 15 characters.
        var bed = new LanBed("ag" + Guid.NewGuid().ToString("N")[..6]);
        try
        {
            await bed.RunAsync("up", hosts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
        return bed;
    }

    /// <summary>Host <paramref name="host"/>'s address.</summary>
    public static string Address(int host) => $"10.77.0.{host}";

    /// <summary><c>ip</c>'s arguments that run <paramref name="command"/> on host <paramref name="host"/>.</summary>
    public string[] On(int host, params string[] command) => ["netns", "exec", $"{Prefix}-{host}", .. command];

    /// <summary>Takes host <paramref name="host"/>'s link down: its peers stop hearing from it.</summary>
    public Task CutAsync(int host) => RunAsync("cut", host.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Brings host <paramref name="host"/>'s link back up.</summary>
    public Task HealAsync(int host) => RunAsync("heal", host.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ProcessRunner.RunAsync(TestBed.Tool("bash"), [Script, "down", Prefix]);

    private Task<string> RunAsync(string command, string argument) =>
        ProcessRunner.RunAsync(TestBed.Tool("bash"), [Script, command, argument, Prefix]);

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testbeds", "netns-lan.sh"));
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "netns-lan.sh (no Agent.sln above the tests)");
    }
}

/// <summary>A fact that needs the multi-host bed (<see cref="LanBed"/>); skipped with the reason when it is missing, unless required.</summary>
public sealed class LanTestBedFactAttribute : TestBedFactAttribute
{
    /// <summary>Declares the bed's needs, the script included.</summary>
    public LanTestBedFactAttribute()
        : base(LanBed.Needs)
    {
        if (Skip is null && !TestBed.Required && !File.Exists(LanBed.Script))
        {
            Skip = $"needs {LanBed.Script} (../shared/testbeds beside the clone); {TestBed.RequireVariable}=1 makes this a failure";
        }
    }
}
