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

    private LanBed(string prefix, int hosts)
    {
        Prefix = prefix;
        Hosts = hosts;
    }

    /// <summary>The script: <c>shared/testbeds/netns-lan.sh</c> beside the directory holding Agent.sln.</summary>
    public static string Script { get; } = FindScript();

    /// <summary>The bed's namespaces are <c>PREFIX-hub</c> and <c>PREFIX-1</c>..<c>PREFIX-N</c>.</summary>
    public string Prefix { get; }

    /// <summary>How many hosts the bed has.</summary>
    public int Hosts { get; }

    /// <summary>Builds a LAN of <paramref name="hosts"/> hosts; fails the test when the bed is missing.</summary>
    public static async Task<LanBed> UpAsync(int hosts)
    {
        TestBed.Require(Needs);
        if (!File.Exists(Script))
        {
            throw new InvalidOperationException($"{Script} is missing: the multi-host tests run with ../shared/testbeds beside the clone");
        }
        // Short: link names (PREFIX-vI) must stay within 15 characters.
        var bed = new LanBed("ag" + Guid.NewGuid().ToString("N")[..6], hosts);
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

    /// <summary>
    /// Gives every host the files of <paramref name="etcDirectory"/> (say a resolv.conf naming a nameserver on the LAN,
    /// hosts, nsswitch.conf) in place of the machine's: they go into <c>/etc/netns/NAMESPACE/</c>, which <c>ip netns
    /// exec</c> binds over <c>/etc</c> for each program it starts from then on. Removed with the bed.
    /// </summary>
    public void UseEtc(string etcDirectory)
    {
        for (var host = 1; host <= Hosts; host++)
        {
            var target = Directory.CreateDirectory(EtcDirectory(host)).FullName;
            foreach (var file in Directory.GetFiles(etcDirectory))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }
    }

    /// <summary>
    /// Pins on every host the others' link-layer addresses (permanent neighbour entries), so a cut host is only silence:
    /// without them a peer's ARP for it fails after 3 s and what it sends fails with EHOSTUNREACH (OSError 113, "No route
    /// to host", measured here), sooner when an ARP request was already under way, racing any timeout the test awaits.
    /// </summary>
    public async Task PinNeighboursAsync()
    {
        var ip = TestBed.Tool("ip");
        var macs = new string[Hosts + 1];
        for (var host = 1; host <= Hosts; host++)
        {
            // "PREFIX-hI@ifN  UP  aa:bb:cc:dd:ee:ff <BROADCAST,...>"
            var line = await ProcessRunner.RunAsync(ip, ["-n", Namespace(host), "-br", "link", "show", $"{Prefix}-h{host}"]);
            macs[host] = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        }
        for (var host = 1; host <= Hosts; host++)
        {
            for (var peer = 1; peer <= Hosts; peer++)
            {
                if (peer != host)
                {
                    await ProcessRunner.RunAsync(ip, ["-n", Namespace(host), "neigh", "replace", Address(peer), "lladdr", macs[peer],
                        "dev", $"{Prefix}-h{host}", "nud", "permanent"]);
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ProcessRunner.RunAsync(TestBed.Tool("bash"), [Script, "down", Prefix]);
        }
        finally
        {
            for (var host = 1; host <= Hosts; host++)
            {
                if (Directory.Exists(EtcDirectory(host)))
                {
                    Directory.Delete(EtcDirectory(host), recursive: true);
                }
            }
        }
    }

    private string Namespace(int host) => $"{Prefix}-{host}";

    private string EtcDirectory(int host) => Path.Combine("/etc/netns", Namespace(host));

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
    /// <summary>Declares the bed's needs, the script included, and <paramref name="moreNeeds"/> (tools the test runs on the hosts).</summary>
    public LanTestBedFactAttribute(params string[] moreNeeds)
        : base([.. LanBed.Needs, .. moreNeeds])
    {
        if (Skip is null && !TestBed.Required && !File.Exists(LanBed.Script))
        {
            Skip = $"needs {LanBed.Script} (../shared/testbeds beside the clone); {TestBed.RequireVariable}=1 makes this a failure";
        }
    }
}
