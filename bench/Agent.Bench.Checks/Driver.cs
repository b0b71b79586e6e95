using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Agent.Bench.Remote;
using Agent.Messages.Checks;

namespace Agent.Bench.Checks;

/// <summary>What one run measures, from the command line.</summary>
internal sealed record BenchSettings(
    string Blackbox,
    string EchoServer,
    string Dnsmasq,
    int ProbeCpu,
    int LoadCpu,
    int Concurrency,
    int Rounds,
    double QuietCores,
    TimeSpan QuietWait,
    TimeSpan FirstWarmup,
    TimeSpan Warmup,
    TimeSpan Duration,
    bool Json,
    string? Output,
    string Command);

/// <summary>One prober on one case: how it runs a window, which process is the prober and which the target.</summary>
internal sealed record Variant(string Case, string Name, string Work, Process Prober, Child Target, Func<TimeSpan, Action, Action, Task<Window>> Run);

/// <summary>What a prober counted over one window (its CPU is read by the driver around it).</summary>
internal sealed record Window(long Ok, long Failed, long FailedTotal, string? FirstFailure, double Seconds, double P50Us, double P99Us,
    long? AllocatedBytes = null, int? Gen0 = null, int? Gen1 = null, int? Gen2 = null, long? Exceptions = null, IReadOnlyList<string>? ExceptionSources = null);

/// <summary>
/// Starts the targets (<see cref="TestBed"/>), blackbox_exporter and the probing node, checks each prober answers ok
/// once, then measures in rounds: in each round every case runs each of its probers back to back, each taking its
/// turn to go first, so load that drifts over the run hits them alike; ratios pair the samples of one round. Last,
/// it probes a closed port and a missing name with both and keeps what each says.
/// </summary>
internal static class Driver
{
    public const string TcpEcho = "tcp-echo";
    public const string Dns = "dns";
    public const string Ours = "ours";
    public const string OursHosts = "ours, hosts file";
    public const string OursDnsmasq = "ours, dnsmasq";
    public const string BlackboxName = "blackbox";

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var loadBefore = MachineInfo.LoadAverage();
        Progress($"load average {loadBefore}; this process on CPU {Cpu.Affinity()}; starting the echo server and dnsmasq on CPU {settings.LoadCpu}");
        using var bed = await TestBed.StartAsync(settings);
        Progress($"echo server on 127.0.0.1:{bed.EchoPort}, dnsmasq on {bed.NameServer}:53; starting blackbox_exporter and the probing node on CPU {settings.ProbeCpu}");
        using var blackbox = await Blackbox.StartAsync(settings, bed);
        await using var node = await NodeProcess.StartAsync(bed, settings.ProbeCpu);
        var setup = new List<string>
        {
            $"probing core: CPU {settings.ProbeCpu} (blackbox_exporter, the probing node); load core: CPU {settings.LoadCpu} (echo server, dnsmasq, this driver: affinity {Cpu.Affinity()})",
            $"blackbox_exporter: {settings.Blackbox}, {blackbox.Version}, listening on {blackbox.Address}, GOMAXPROCS from its affinity",
            $"probing node: {ProbingNode.Ready} line '{node.ReadyLine}' (processor count, affinity); ProbeRunner MaxConcurrent {ProbingNode.RunnerSettings.MaxConcurrent}, MinInterval 0",
            $"echo server: {settings.EchoServer} (../shared/bench echo_epoll.c) on 127.0.0.1:{bed.EchoPort}",
            $"dnsmasq: {settings.Dnsmasq} on {bed.NameServer}:53, names from --addn-hosts, --local=/bench.test/",
        };
        setup.ForEach(line => Progress(line));

        var c = settings.Concurrency;
        var echoTarget = $"127.0.0.1:{bed.EchoPort}";
        var driver = Process.GetCurrentProcess();
        List<string> tcpTargets = [.. Enumerable.Repeat($"tcp-echo:{echoTarget}", c)];
        List<string> hostsTargets = [.. Enumerable.Range(0, c).Select(i => $"dns:{TestBed.HostsName(i)}")];
        List<string> dnsmasqTargets = [.. Enumerable.Range(0, c).Select(i => $"dns:{TestBed.DnsName(i)}")];
        List<string> tcpUrls = [.. Enumerable.Repeat(blackbox.ProbeUrl(Blackbox.TcpEchoModule, echoTarget), c)];
        List<string> dnsUrls = [.. Enumerable.Range(0, c).Select(i => blackbox.ProbeUrl(Blackbox.DnsModule(i), $"{bed.NameServer}:53"))];

        Func<TimeSpan, Action, Action, Task<Window>> OursRun(List<string> targets, FamilyMode family) => async (warmup, opened, closed) =>
            Of(await node.RunAsync(targets, family, warmup, settings.Duration, opened, closed));
        Func<TimeSpan, Action, Action, Task<Window>> BlackboxRun(List<string> urls) => async (warmup, opened, closed) =>
            Of(await blackbox.RunAsync(urls, warmup, settings.Duration, opened, closed), settings.Duration);
        List<Variant> variants =
        [
            new(TcpEcho, Ours, $"ProbeRunner, tcp-echo:{echoTarget}, {Blackbox.PayloadSize} random bytes each way", node.Process, bed.Echo, OursRun(tcpTargets, FamilyMode.Any)),
            new(TcpEcho, BlackboxName, $"/probe?module={Blackbox.TcpEchoModule}&target={echoTarget}: a {Blackbox.PayloadSize - 1}-byte line + newline, expected back", blackbox.Child.Process, bed.Echo, BlackboxRun(tcpUrls)),
            new(Dns, OursHosts, "ProbeRunner, dns:hosts-N.bench.test, family any: getaddrinfo AF_UNSPEC, AI_CANONNAME, answered from /etc/hosts", node.Process, bed.Dns, OursRun(hostsTargets, FamilyMode.Any)),
            new(Dns, OursDnsmasq, "ProbeRunner, dns:dns-N.bench.test, family ip4: getaddrinfo AF_INET, /etc/hosts misses, one A query to dnsmasq", node.Process, bed.Dns, OursRun(dnsmasqTargets, FamilyMode.Ip4)),
            new(Dns, BlackboxName, $"/probe?module=dns_N&target={bed.NameServer}:53: one A query for dns-N.bench.test, ok with an A record", blackbox.Child.Process, bed.Dns, BlackboxRun(dnsUrls)),
        ];

        await CheckOnceAsync(node, blackbox, tcpTargets[0], hostsTargets[0], dnsmasqTargets[0], tcpUrls[0], dnsUrls[0]);
        foreach (var variant in variants)
        {
            Progress($"warm-up: {variant.Case} {variant.Name}, {settings.FirstWarmup.TotalSeconds:0.#} s");
            await MeasureAsync(variant, 0, driver, settings);
        }

        var samples = new List<Sample>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var group in variants.GroupBy(v => v.Case))
            {
                // Each round starts with the next prober, so each goes first as often as the others.
                var order = group.ToList();
                var shift = (round - 1) % order.Count;
                foreach (var variant in order.Skip(shift).Concat(order.Take(shift)))
                {
                    var sample = await MeasureAsync(variant, round, driver, settings);
                    samples.Add(sample);
                    Progress(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}/{settings.Rounds} {variant.Case} {variant.Name}: {sample.ProbesPerSecond:N0} probes/s, p50 {sample.P50Us / 1000:0.00} ms, p99 {sample.P99Us / 1000:0.00} ms, prober {sample.ProberCores:0.00} cores ({sample.CpuUsPerProbe:0} us/probe), probe core {sample.ProbeCoreBusy:0.00} busy, load core {sample.LoadCoreBusy:0.00}, failed {sample.Failed}, SYN retransmits {sample.Net.SynRetransmits}, UDP rcvbuf drops {sample.Net.UdpReceiveBufferErrors}; others before {sample.OthersBusyBefore:0.00} cores (waited {sample.WaitedSeconds:0.0} s)"));
                }
            }
        }

        var errors = await ErrorPointsAsync(node, blackbox, bed);
        var loadAfter = MachineInfo.LoadAverage();
        var cases = Summaries(samples, variants);
        var report = new ChecksReport(MachineInfo.Read() with { ProcessorCount = Cpu.Online() }, loadBefore, loadAfter, settings.Command, Method(settings), setup, samples, cases, Ratios(samples), errors);
        var json = ChecksBenchJson.Write(report);
        if (settings.Output is { } output)
        {
            await File.WriteAllTextAsync(output, json + "\n");
        }
        Console.WriteLine(settings.Json ? json : Markdown(report));
        return 0;
    }

    private static Window Of(NodeSample s) =>
        new(s.Ok, s.FailedMeasured, s.Failed, s.FirstFailure, s.Seconds, s.P50Us, s.P99Us, s.AllocatedBytes, s.Gen0, s.Gen1, s.Gen2, s.Exceptions, s.ExceptionSources);

    private static Window Of(Load load, TimeSpan duration)
    {
        var (p50, p99) = load.Percentiles();
        return new(load.Ok, load.FailedMeasured, load.Failed, load.FirstFailure, duration.TotalSeconds, p50, p99);
    }

    // Every prober must answer ok once before anything is measured: a broken setup is an error, not a slow figure.
    private static async Task CheckOnceAsync(NodeProcess node, Blackbox blackbox, params string[] probes)
    {
        foreach (var probe in probes)
        {
            if (probe.StartsWith("http", StringComparison.Ordinal))
            {
                var (ok, body) = await blackbox.ProbeAsync(probe);
                if (!ok)
                {
                    throw new InvalidOperationException($"blackbox_exporter: {probe} failed: {string.Join(" / ", Blackbox.Metrics(body))}");
                }
                continue;
            }
            var family = probe.Contains("dns-", StringComparison.Ordinal) ? FamilyMode.Ip4 : FamilyMode.Any;
            var json = await node.OnceAsync(probe, family);
            var result = JsonSerializer.Deserialize(json, ChecksJsonContext.Default.ProbeResult)!;
            if (!result.Ok)
            {
                throw new InvalidOperationException($"the probing node: {probe} failed: {json}");
            }
        }
        Progress("each prober answered ok once on each case");
    }

    private static async Task<Sample> MeasureAsync(Variant variant, int round, Process driver, BenchSettings settings)
    {
        var (othersBusy, waited) = round == 0 ? (double.NaN, TimeSpan.Zero) : await WaitForQuietAsync(settings);
        Snapshot? opened = null;
        Snapshot? closed = null;
        // The first, unrecorded pass warms up longer: on one shared core the JIT's tier-up takes tens of seconds.
        var window = await variant.Run(round == 0 ? settings.FirstWarmup : settings.Warmup, () => opened = Snapshot.Take(variant, driver), () => closed = Snapshot.Take(variant, driver));
        var (a, b) = (opened!, closed!);
        var wall = (b.At - a.At).TotalSeconds;
        double Cores(TimeSpan before, TimeSpan after) => (after - before).TotalSeconds / wall;
        double Core(int cpu) => b.Cores.TryGetValue(cpu, out var end) && a.Cores.TryGetValue(cpu, out var start) ? Cores(start, end) : double.NaN;
        var prober = (b.Prober - a.Prober).TotalSeconds;
        return new Sample(round, variant.Case, variant.Name, window.Ok, window.Failed, window.FailedTotal, window.FirstFailure, window.Seconds,
            window.Ok / window.Seconds, window.P50Us, window.P99Us, prober / wall, window.Ok == 0 ? 0 : prober * 1e6 / window.Ok,
            Core(settings.ProbeCpu), Core(settings.LoadCpu), Cores(a.Target, b.Target), Cores(a.Driver, b.Driver),
            window.AllocatedBytes is { } bytes && window.Ok > 0 ? (double)bytes / window.Ok : null, window.Gen0, window.Gen1, window.Gen2,
            window.Exceptions is { } thrown && window.Ok > 0 ? (double)thrown / window.Ok : null, window.ExceptionSources, b.Net - a.Net, othersBusy, waited.TotalSeconds);
    }

    // The machine is shared: before each sample, while every process of the bench idles, wait (boundedly) until the
    // rest of the machine uses less than QuietCores, so fewer samples share a core with someone's build.
    private static async Task<(double Busy, TimeSpan Waited)> WaitForQuietAsync(BenchSettings settings)
    {
        var started = Stopwatch.GetTimestamp();
        double busy;
        while ((busy = await Cpu.MachineBusyAsync(TimeSpan.FromSeconds(0.5))) > settings.QuietCores && settings.QuietCores > 0 && Stopwatch.GetElapsedTime(started) < settings.QuietWait)
        {
        }
        return (busy, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<IReadOnlyList<ErrorPoint>> ErrorPointsAsync(NodeProcess node, Blackbox blackbox, TestBed bed)
    {
        var closed = $"127.0.0.1:{TestBed.ClosedPort()}";
        var points = new List<ErrorPoint>();
        foreach (var (label, ours, family, module, target) in (List<(string, string, FamilyMode, string, string)>)
            [
                ("tcp-echo to a closed port", $"tcp-echo:{closed}", FamilyMode.Any, Blackbox.TcpEchoModule, closed),
                ("dns of a missing name (dnsmasq: NXDOMAIN)", $"dns:{TestBed.MissingName}", FamilyMode.Ip4, Blackbox.MissingModule, $"{bed.NameServer}:53"),
            ])
        {
            var result = await node.OnceAsync(ours, family);
            var before = blackbox.Child.LineCount;
            var url = blackbox.ProbeUrl(module, target);
            var (_, metrics) = await blackbox.ProbeAsync(url);
            // Its log lines, if any, are written as the probe ends; give them a moment to reach us.
            await Task.Delay(200);
            var stderr = blackbox.Child.Lines(before);
            var (_, debug) = await blackbox.ProbeAsync(blackbox.ProbeUrl(module, target, debug: true));
            var errors = debug.Split('\n').Where(l => l.Contains("level=error", StringComparison.Ordinal)).Select(StripTimestamp).ToList();
            points.Add(new ErrorPoint(label, ours, url[url.IndexOf("/probe", StringComparison.Ordinal)..], result, Blackbox.Metrics(metrics), errors, stderr));
            Progress($"{label}: ours {result}; blackbox {string.Join(", ", Blackbox.Metrics(metrics).Where(m => m.StartsWith("probe_success", StringComparison.Ordinal)))}, log: {string.Join(" / ", errors)}; its stderr: {stderr.Count} lines");
        }
        return points;
    }

    // The log's own time stamp says nothing here and differs from run to run.
    private static string StripTimestamp(string line) => line.StartsWith("ts=", StringComparison.Ordinal) ? line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..] : line;

    private static IReadOnlyList<CaseSummary> Summaries(IReadOnlyList<Sample> samples, IReadOnlyList<Variant> variants) =>
    [
        .. variants.Select(v =>
        {
            var g = samples.Where(s => s.Case == v.Case && s.Variant == v.Name).ToList();
            return new CaseSummary(v.Case, v.Name, v.Work, g.Count,
                Stats.Median(g.Select(s => s.ProbesPerSecond)), g.Min(s => s.ProbesPerSecond), g.Max(s => s.ProbesPerSecond),
                Stats.Median(g.Select(s => s.P50Us)), Stats.Median(g.Select(s => s.P99Us)),
                Stats.Median(g.Select(s => s.ProberCores)), Stats.Median(g.Select(s => s.CpuUsPerProbe)), Stats.Median(g.Select(s => 1e6 / s.CpuUsPerProbe)),
                Stats.Median(g.Select(s => s.ProbeCoreBusy)), Stats.Median(g.Select(s => s.LoadCoreBusy)), Stats.Median(g.Select(s => s.TargetCores)),
                Stats.Median(g.Select(s => s.DriverCores)), Stats.Median(g.Select(s => s.OthersBusyBefore)),
                g.All(s => s.AllocatedBytesPerProbe is not null) ? Stats.Median(g.Select(s => s.AllocatedBytesPerProbe!.Value)) : null,
                g.All(s => s.ExceptionsPerProbe is not null) ? Stats.Median(g.Select(s => s.ExceptionsPerProbe!.Value)) : null,
                g.Select(s => s.ExceptionSources).LastOrDefault(x => x is { Count: > 0 }),
                g.Sum(s => s.Net.SynRetransmits), g.Sum(s => s.Net.UdpReceiveBufferErrors),
                g.Sum(s => s.FailedTotal), g.Select(s => s.FirstFailure).FirstOrDefault(f => f is not null));
        }),
    ];

    // The issue's target: at least blackbox_exporter's probes/s on one core.
    private static IReadOnlyList<RatioRow> Ratios(IReadOnlyList<Sample> samples) =>
    [
        Ratio(samples, "tcp-echo to the echo server", TcpEcho, Ours),
        Ratio(samples, "dns as the issue words it (ours: hosts file; blackbox: a query to dnsmasq)", Dns, OursHosts),
        Ratio(samples, "dns, both asking dnsmasq for an A record", Dns, OursDnsmasq),
    ];

    private static RatioRow Ratio(IReadOnlyList<Sample> samples, string comparison, string @case, string ours)
    {
        var paired = samples.Where(s => s.Case == @case).GroupBy(s => s.Round)
            .Select(r => (Ours: r.Single(s => s.Variant == ours), Blackbox: r.Single(s => s.Variant == BlackboxName))).ToList();
        var rates = paired.Select(p => p.Ours.ProbesPerSecond / p.Blackbox.ProbesPerSecond).ToList();
        var perCpu = paired.Select(p => p.Blackbox.CpuUsPerProbe / p.Ours.CpuUsPerProbe).ToList();
        var (median, medianPerCpu) = (Stats.Median(rates), Stats.Median(perCpu));
        return new RatioRow(comparison, ours, BlackboxName, median, rates.Min(), rates.Max(), medianPerCpu, perCpu.Min(), perCpu.Max(),
            median >= 1.0, medianPerCpu >= 1.0);
    }

    private static string Method(BenchSettings s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Concurrency} probes in flight per prober; the probers (blackbox_exporter, and the probing node: a ProbeRunner with resolver and IO manager as NodeHost builds them, " +
        $"MinInterval 0, each slot's probe its own) pinned to CPU {s.ProbeCpu}, the echo server, dnsmasq and this driver (blackbox's HTTP load, keep-alive, one connection per slot) to CPU {s.LoadCpu}; " +
        $"{s.Rounds} rounds, in each every case runs each prober back to back, taking turns going first, {s.Warmup.TotalSeconds:0.##} s warm-up + {s.Duration.TotalSeconds:0.##} s measured each, " +
        $"one unrecorded pass per prober first ({s.FirstWarmup.TotalSeconds:0.#} s warm-up); before each sample up to {s.QuietWait.TotalSeconds:0} s waiting for the rest of the machine to use under {s.QuietCores:0.##} cores; " +
        $"probes/s counts ok answers only; CPU is read from /proc around the measured window");

    private static string Markdown(ChecksReport r)
    {
        var m = r.Machine;
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        Line($"# Probes per second, {m.ProcessorCount} CPUs ({m.CpuModel}), {m.Memory}, {m.Runtime}, Akka.NET {m.Akka}, GC {m.Gc}");
        Line($"# load average before: {r.LoadAverageBefore}; after: {r.LoadAverageAfter}");
        Line($"# command: {r.Command}");
        Line($"# method: {r.Method}");
        foreach (var line in r.Setup)
        {
            Line($"# {line}");
        }
        Line();
        Line("| case | prober | probes/s (median) | range | p50 ms | p99 ms | prober CPU, cores | CPU us/probe | probes per CPU-s | probe core busy | load core busy | target CPU, cores | driver CPU, cores | others before | alloc B/probe | exceptions/probe | SYN retransmits | UDP rcvbuf drops | failed |");
        Line("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in r.Cases)
        {
            var alloc = c.MedianAllocatedBytesPerProbe is { } a ? F($"{a:N0}") : "–";
            var thrown = c.MedianExceptionsPerProbe is { } x ? F($"{x:0.00}") : "–";
            Line(F($"| {c.Case} | {c.Variant} | {c.MedianProbesPerSecond:N0} | {c.MinProbesPerSecond:N0}–{c.MaxProbesPerSecond:N0} | {c.MedianP50Us / 1000:0.00} | {c.MedianP99Us / 1000:0.00} | {c.MedianProberCores:0.00} | {c.MedianCpuUsPerProbe:0} | {c.MedianProbesPerCpuSecond:N0} | {c.MedianProbeCoreBusy:0.00} | {c.MedianLoadCoreBusy:0.00} | {c.MedianTargetCores:0.00} | {c.MedianDriverCores:0.00} | {c.MedianOthersBusyBefore:0.00} | {alloc} | {thrown} | {c.SynRetransmits} | {c.UdpReceiveBufferErrors} | {c.FailedTotal} |"));
        }
        foreach (var c in r.Cases.Where(c => c.ExceptionSources is { Count: > 0 }))
        {
            Line();
            Line($"Exceptions thrown by {c.Variant} on {c.Case} in its last window: {string.Join("; ", c.ExceptionSources!)}.");
        }
        Line();
        Line("| comparison | ours / blackbox probes/s (median) | range over rounds | target (>= 1x) | ours / blackbox probes per CPU-s (median) | range over rounds | target (>= 1x) |");
        Line("|---|---:|---|---|---:|---|---|");
        foreach (var x in r.Ratios)
        {
            Line(F($"| {x.Comparison} | {x.MedianRate:0.00}x | {x.MinRate:0.00}–{x.MaxRate:0.00}x | {(x.TargetMet ? "met" : "**missed**")} | {x.MedianPerCpuRate:0.00}x | {x.MinPerCpuRate:0.00}–{x.MaxPerCpuRate:0.00}x | {(x.TargetMetPerCpu ? "met" : "**missed**")} |"));
        }
        Line();
        Line("| failure | ours | blackbox: metrics | blackbox: its log (only with &debug=true) | blackbox: stderr at its default log level |");
        Line("|---|---|---|---|---|");
        foreach (var e in r.Errors)
        {
            var result = JsonSerializer.Deserialize(e.Ours, ChecksJsonContext.Default.ProbeResult)!;
            var ours = $"ok {result.Ok.ToString().ToLowerInvariant()}, `{result.Error}`";
            var metrics = string.Join(", ", e.BlackboxMetrics.Where(l => l.StartsWith("probe_success", StringComparison.Ordinal) || l.StartsWith("probe_failed", StringComparison.Ordinal) || l.StartsWith("probe_dns_answer", StringComparison.Ordinal)).Select(l => $"`{l}`"));
            var log = e.BlackboxDebugErrors.Count == 0 ? "none" : string.Join("<br>", e.BlackboxDebugErrors.Select(l => $"`{l.Replace("|", "\\|", StringComparison.Ordinal)}`"));
            var stderr = e.BlackboxStderr.Count == 0 ? "nothing" : string.Join("<br>", e.BlackboxStderr.Select(l => $"`{l}`"));
            Line($"| {e.Case}: `{e.OursTarget}` / `{e.BlackboxProbe}` | {ours} | {metrics} | {log} | {stderr} |");
        }
        return text.ToString();
    }

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    /// <summary>Counters at one instant: CPU per core, of the prober's and the target's process and of this driver; the kernel's network counters.</summary>
    private sealed record Snapshot(DateTime At, IReadOnlyDictionary<int, TimeSpan> Cores, TimeSpan Prober, TimeSpan Target, TimeSpan Driver, NetCounters Net)
    {
        public static Snapshot Take(Variant variant, Process driver) =>
            new(DateTime.UtcNow, Cpu.BusyPerCore(), Cpu.Of(variant.Prober), Cpu.Of(variant.Target.Process), Cpu.Of(driver), NetCounters.Read());
    }
}
