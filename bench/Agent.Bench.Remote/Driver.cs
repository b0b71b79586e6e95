using System.Diagnostics;
using System.Globalization;
using System.Text;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Bench.Remote;

/// <summary>What one run measures, from the command line.</summary>
internal sealed record RemoteSettings(
    TimeSpan Warmup,
    TimeSpan Duration,
    int Rounds,
    IReadOnlyList<int> InFlight,
    IReadOnlyList<string> Topologies,
    ClientKind Client,
    bool ViaSelection,
    bool Json,
    string? Output,
    string ExtraHocon,
    string Command);

/// <summary>
/// Starts node A once per serializer and node B per serializer and topology (a second actor system here, or this
/// executable with <c>--serve</c> in a child process, which also serves the raw TCP baseline), checks what each
/// serializer does with the wire types, then measures in rounds: in each round every (topology, in-flight) case runs
/// ours and the default back to back (and the raw TCP baseline with 1 in flight), each taking its turn to go first,
/// so load that drifts over the run hits them alike; ratios pair the samples of one round.
/// </summary>
internal static class Driver
{
    public const string OneProcess = "one-process";
    public const string TwoProcesses = "two-processes";

    /// <summary>The baseline's name in the tables.</summary>
    public const string RawTcpName = "raw TCP";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(RemoteSettings settings)
    {
        var loadBefore = MachineInfo.LoadAverage();
        Progress($"load average {loadBefore}; starting the nodes");
        var clients = new Dictionary<SerializerVariant, ActorSystem>();
        var servers = new List<ActorSystem>();
        var children = new List<ServedNode>();
        using var stopRaw = new CancellationTokenSource();
        try
        {
            foreach (var variant in SerializerVariants.All)
            {
                clients[variant] = BenchNode.Create(variant, settings.ExtraHocon);
            }
            var checks = SerializerCheck.DefaultRoundTrips(clients[SerializerVariant.Default]);
            foreach (var check in checks.Where(c => !c.Intact))
            {
                Progress($"default serializer: {check.Type} does not round-trip: {check.Problem}");
            }

            var self = Process.GetCurrentProcess();
            var pairs = new List<Pair>();
            var serializers = new List<string>();
            foreach (var topology in settings.Topologies)
            {
                // Both sides' processes: this one alone, or this one and the node B children (the idle one's share is noise).
                Func<TimeSpan> cpu = topology == OneProcess ? () => CpuOf(self) : () => CpuOf(self) + TimeSpan.FromTicks(children.Sum(c => c.CpuTime.Ticks));
                int? rawPort = null;
                foreach (var variant in SerializerVariants.All)
                {
                    Address address;
                    string serverSerializer;
                    if (topology == OneProcess)
                    {
                        var server = BenchNode.Create(variant, settings.ExtraHocon);
                        servers.Add(server);
                        BenchNode.Serve(server);
                        address = BenchNode.AddressOf(server);
                        serverSerializer = BenchNode.SerializerOf(server);
                        rawPort ??= RawTcp.Serve(server, stopRaw.Token);
                    }
                    else
                    {
                        var child = await ServedNode.StartAsync(variant, settings.ExtraHocon, StartTimeout);
                        children.Add(child);
                        address = child.Address;
                        serverSerializer = child.Serializer;
                        rawPort ??= child.RawPort;
                    }
                    var client = clients[variant];
                    var target = await TargetAsync(client, address, settings.ViaSelection);
                    serializers.Add($"{topology} {variant.Name()}: node A writes with {BenchNode.SerializerOf(client)}, node B ({address}) with {serverSerializer}");
                    pairs.Add(new Pair(topology, variant.Name(), load => LookupClients.Start(load, client, target, settings.Client), cpu, topology == OneProcess));
                }
                var port = rawPort!.Value;
                pairs.Add(new Pair(topology, RawTcpName, load => RawTcp.Start(load, clients[SerializerVariant.Ours], port), cpu, topology == OneProcess));
            }
            serializers.ForEach(Progress);

            var longest = settings.InFlight.Max();
            foreach (var pair in pairs)
            {
                var inFlight = pair.Name == RawTcpName ? 1 : longest;
                Progress($"warm-up: {pair.Topology} {pair.Name} x{inFlight}");
                await Measure.RunAsync(pair, inFlight, settings.Warmup, settings.Warmup, round: 0);
            }

            var samples = new List<Sample>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var topology in settings.Topologies)
                {
                    foreach (var inFlight in settings.InFlight)
                    {
                        // Each round starts with the next one: ours and the default (and raw TCP at 1 in flight) take turns going first.
                        List<string> names = inFlight == 1 ? ["ours", "default", RawTcpName] : ["ours", "default"];
                        var shift = (round - 1) % names.Count;
                        foreach (var name in names.Skip(shift).Concat(names.Take(shift)))
                        {
                            var pair = pairs.Single(p => p.Topology == topology && p.Name == name);
                            var sample = await Measure.RunAsync(pair, inFlight, settings.Warmup, settings.Duration, round);
                            samples.Add(sample);
                            Progress(string.Create(CultureInfo.InvariantCulture,
                                $"round {round}/{settings.Rounds} {topology} x{inFlight} {name}: {sample.RoundTripsPerSecond:N0} rt/s, p50 {sample.P50Us:0} us, p99 {sample.P99Us:0} us, cpu {sample.CpuUsPerRoundTrip:0.0} us/rt"));
                        }
                    }
                }
            }

            // Measured last, when the rounds have warmed up the serializers' code (they run on every message of the rounds).
            var costs = SerializerVariants.All.Select(v => SerializerCheck.Cost(clients[v], v, TimeSpan.FromSeconds(1))).ToList();
            var loadAfter = MachineInfo.LoadAverage();
            var cases = Summaries(samples);
            var ratios = Ratios(samples);
            var report = new RemoteReport(MachineInfo.Read(), loadBefore, loadAfter, settings.Command, Method(settings), serializers,
                checks, costs, samples, cases, ratios, Targets(cases, ratios));
            var json = RemoteJsonContext.Write(report);
            if (settings.Output is { } output)
            {
                await File.WriteAllTextAsync(output, json + "\n");
            }
            Console.WriteLine(settings.Json ? json : Markdown(report));
            return 0;
        }
        finally
        {
            await stopRaw.CancelAsync();
            foreach (var child in children)
            {
                await child.DisposeAsync();
            }
            await Task.WhenAll(servers.Concat(clients.Values).Select(s => s.Terminate()));
        }
    }

    private static async Task<ICanTell> TargetAsync(ActorSystem client, Address address, bool viaSelection)
    {
        var selection = client.ActorSelection(BenchNode.RequestsAt(address));
        ICanTell target = viaSelection ? selection : await selection.ResolveOne(StartTimeout);
        var reply = await target.Ask<object>(BenchNode.Request, StartTimeout);
        var expected = SerializerCheck.Reply();
        if (reply is not Resolved { Result: AddrInfoList list } resolved || resolved.Request != expected.Request
            || !list.Entries.SequenceEqual(((AddrInfoList)expected.Result).Entries))
        {
            throw new InvalidOperationException($"node B at {address} answered {reply}, not the expected {expected}");
        }
        return target;
    }

    private static TimeSpan CpuOf(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static IReadOnlyList<CaseSummary> Summaries(IReadOnlyList<Sample> samples) =>
    [
        .. samples.GroupBy(s => (s.Topology, s.InFlight, s.Variant)).Select(g => new CaseSummary(
            g.Key.Topology, g.Key.InFlight, g.Key.Variant, g.Count(),
            Stats.Median(g.Select(s => s.RoundTripsPerSecond)), g.Min(s => s.RoundTripsPerSecond), g.Max(s => s.RoundTripsPerSecond),
            Stats.Median(g.Select(s => s.P50Us)), Stats.Median(g.Select(s => s.P99Us)), g.Min(s => s.P99Us), g.Max(s => s.P99Us),
            Stats.Median(g.Select(s => s.CpuUsPerRoundTrip)),
            g.All(s => s.AllocatedBytesPerRoundTrip is not null) ? Stats.Median(g.Select(s => s.AllocatedBytesPerRoundTrip!.Value)) : null)),
    ];

    private static IReadOnlyList<RatioRow> Ratios(IReadOnlyList<Sample> samples) =>
    [
        .. samples.GroupBy(s => (s.Topology, s.InFlight)).Select(g =>
        {
            var rounds = g.GroupBy(s => s.Round).Select(r => r.ToDictionary(s => s.Variant)).ToList();
            var paired = rounds.Select(r => (Ours: r["ours"], Default: r["default"])).ToList();
            var rates = paired.Select(p => p.Ours.RoundTripsPerSecond / p.Default.RoundTripsPerSecond).ToList();
            var overRaw = rounds.Where(r => r.ContainsKey(RawTcpName)).Select(r => r["ours"].RoundTripsPerSecond / r[RawTcpName].RoundTripsPerSecond).ToList();
            return new RatioRow(g.Key.Topology, g.Key.InFlight, Stats.Median(rates), rates.Min(), rates.Max(),
                Stats.Median(paired.Select(p => p.Ours.P50Us / p.Default.P50Us)),
                Stats.Median(paired.Select(p => p.Ours.P99Us / p.Default.P99Us)),
                Stats.Median(paired.Select(p => p.Ours.CpuUsPerRoundTrip / p.Default.CpuUsPerRoundTrip)),
                overRaw.Count > 0 ? Stats.Median(overRaw) : null);
        }),
    ];

    // Issue 9's targets: ours >= 1.5x the default's requests/s at 256 in flight; >= 15 k round trips/s with 1 in flight.
    private static IReadOnlyList<TargetRow> Targets(IReadOnlyList<CaseSummary> cases, IReadOnlyList<RatioRow> ratios) =>
    [
        .. ratios.Where(r => r.InFlight == 256).Select(r =>
            new TargetRow("ours / default rt/s at 256 in flight", $"{r.Topology} x256", r.MedianRate, 1.5, r.MedianRate >= 1.5)),
        .. cases.Where(c => c.InFlight == 1 && c.Variant == "ours").Select(c =>
            new TargetRow("rt/s with 1 in flight (ours)", $"{c.Topology} x1", c.MedianRoundTripsPerSecond, 15_000, c.MedianRoundTripsPerSecond >= 15_000)),
    ];

    private static string Method(RemoteSettings s) => string.Create(CultureInfo.InvariantCulture,
        $"GetAddrInfo(\"127.0.0.1\", \"80\") from node A to node B's request actor as a LookupProbe (/user/requests: RequestActor -> one LookupOnce child -> ResolverActor, numeric, no libc I/O), " +
        $"akka.actor.provider = remote, DotNetty TCP on 127.0.0.1, {(s.ExtraHocon.Length == 0 ? "Akka's default remoting settings" : $"Akka's defaults with {s.ExtraHocon.ReplaceLineEndings(" ")}")}; " +
        $"{(s.Client == ClientKind.Actor ? "one client actor per request in flight" : "one Ask per request (a temporary actor each, as FanOut asks)")}, " +
        $"{(s.ViaSelection ? "through an ActorSelection of B's path on every request" : "through B's actor reference resolved once")}; " +
        $"{s.Rounds} rounds, in each every case runs ours and the default back to back (with 1 in flight also the raw TCP baseline: " +
        $"our request and reply bytes over one plain socket), taking turns going first, {s.Warmup.TotalSeconds:0.##} s warm-up + {s.Duration.TotalSeconds:0.##} s measured each, " +
        $"one unrecorded warm-up pass per pair first; CPU is both sides' processes, allocations only where both share this process");

    private static string Markdown(RemoteReport r)
    {
        var m = r.Machine;
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        Line($"# Remote requests, {m.ProcessorCount} CPUs ({m.CpuModel}), {m.Memory}, {m.Runtime}, Akka.NET {m.Akka}, GC {m.Gc}");
        Line($"# load average before: {r.LoadAverageBefore}; after: {r.LoadAverageAfter}");
        Line($"# command: {r.Command}");
        Line($"# method: {r.Method}");
        foreach (var serializer in r.Serializers)
        {
            Line($"# {serializer}");
        }
        Line();
        var broken = r.DefaultSerializerRoundTrips.Where(c => !c.Intact).ToList();
        Line($"Akka's default serializer round-trips {r.DefaultSerializerRoundTrips.Count - broken.Count} of {r.DefaultSerializerRoundTrips.Count} wire types intact" +
            (broken.Count == 0 ? "." : $"; not: {string.Join("; ", broken.Select(b => $"{b.Type} ({b.Problem})"))}."));
        Line();
        Line("| serializer | request bytes | request manifest | reply bytes | reply manifest | write + read both, us | allocated, B |");
        Line("|---|---:|---|---:|---|---:|---:|");
        foreach (var c in r.FrameCosts)
        {
            Line(F($"| {c.Serializer} | {c.RequestBytes} | {Manifest(c.RequestManifest)} | {c.ReplyBytes} | {Manifest(c.ReplyManifest)} | {c.CpuUsPerRoundTrip:0.0} | {c.AllocatedBytesPerRoundTrip:N0} |"));
        }
        Line();
        Line("| topology | in flight | serializer | rt/s (median) | rt/s range | p50 us | p99 us | p99 range | CPU us/rt | alloc B/rt |");
        Line("|---|---:|---|---:|---|---:|---:|---|---:|---:|");
        foreach (var c in r.Cases)
        {
            var alloc = c.MedianAllocatedBytesPerRoundTrip is { } a ? F($"{a:N0}") : "–";
            Line(F($"| {c.Topology} | {c.InFlight} | {c.Variant} | {c.MedianRoundTripsPerSecond:N0} | {c.MinRoundTripsPerSecond:N0}–{c.MaxRoundTripsPerSecond:N0} | {c.MedianP50Us:0} | {c.MedianP99Us:0} | {c.MinP99Us:0}–{c.MaxP99Us:0} | {c.MedianCpuUsPerRoundTrip:0.0} | {alloc} |"));
        }
        Line();
        Line("| topology | in flight | ours / default rt/s (median) | range over rounds | p50 ours / default | p99 ours / default | CPU/rt ours / default | ours / raw TCP rt/s |");
        Line("|---|---:|---:|---|---:|---:|---:|---:|");
        foreach (var x in r.Ratios)
        {
            var raw = x.MedianOursOverRawTcp is { } o ? F($"{o:0.00}x") : "–";
            Line(F($"| {x.Topology} | {x.InFlight} | {x.MedianRate:0.00}x | {x.MinRate:0.00}–{x.MaxRate:0.00}x | {x.MedianP50:0.00} | {x.MedianP99:0.00} | {x.MedianCpu:0.00} | {raw} |"));
        }
        Line();
        Line("| target | case | measured | goal | met |");
        Line("|---|---|---:|---:|---|");
        foreach (var t in r.Targets)
        {
            var (measured, goal) = t.Goal < 100 ? (F($"{t.Measured:0.00}x"), F($"{t.Goal:0.0}x")) : (F($"{t.Measured:N0}"), F($"{t.Goal:N0}"));
            Line($"| {t.Target} | {t.Case} | {measured} | {goal} | {(t.Met ? "yes" : "**no**")} |");
        }
        return text.ToString();
    }

    // Akka's Newtonsoft serializer sends no manifest: the type name travels inside the JSON ("$type").
    private static string Manifest(string manifest) => manifest.Length == 0 ? "none (`$type` in the JSON)" : $"`{manifest}`";

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
