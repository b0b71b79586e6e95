using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Bench.Remote;

namespace Agent.Bench.Checks.Mesh;

/// <summary>What one mesh run measures, from the command line.</summary>
internal sealed record MeshSettings(
    string Agent,
    string Blackbox,
    IReadOnlyList<int> Sizes,
    string NodeCpus,
    int Rounds,
    TimeSpan Warmup,
    int Concurrency,
    double QuietCores,
    TimeSpan QuietWait,
    TimeSpan Gap,
    bool Json,
    string? Output,
    string Command);

/// <summary>
/// Issue 10's full-mesh check, end to end, against blackbox_exporter doing the same probes. For each N: N real
/// <c>agent run</c> processes (<see cref="MeshNode"/>) joined through the first, and N blackbox_exporters, one per node as a
/// per-machine prober would be, all on the node CPUs; this driver on the other core. Ours: <c>POST /api/checks</c>
/// (not streamed) on m1 with every node's tcp-echo and udp-echo as targets, from all N nodes. Blackbox: every exporter
/// probes the same targets through <c>/probe</c> at once (up to <see cref="MeshSettings.Concurrency"/> per exporter);
/// blackbox 0.23 has no udp echo prober, so the udp targets get its dns prober over UDP, which sends one query and takes
/// the echoed query for an empty NOERROR answer (a success by default): one datagram each way where ours sends five
/// 10 ms apart. The tcp-only variants are the like-for-like comparison. Every variant runs once per round, each round
/// starting with the next, after an unrecorded warm-up.
/// </summary>
internal static class MeshDriver
{
    public const string OursOne = "ours, one cell";
    public const string OursTcp = "ours, tcp";
    public const string OursFull = "ours, full mesh";
    public const string OursStreamed = "ours, tcp, streamed";
    public const string BlackboxTcp = "blackbox, tcp";
    public const string BlackboxFull = "blackbox, tcp + udp (dns prober)";

    /// <summary>blackbox's module for a udp echo target: its dns prober over UDP (the echo of a query parses as an empty NOERROR answer).</summary>
    public const string UdpModule = "udp_echo_dns";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(MeshSettings settings)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var directory = Directory.CreateTempSubdirectory("agent-bench-mesh.").FullName;
        try
        {
            var config = Path.Combine(directory, "blackbox.yml");
            await File.WriteAllTextAsync(config, BlackboxConfig());
            var agentVersion = await VersionAsync(settings.Agent);
            var setup = new List<string>
            {
                $"node CPUs: {settings.NodeCpus} (every agent run and every blackbox_exporter, pinned with taskset at start); this driver: CPU {Cpu.Affinity()}",
                $"agent: {settings.Agent}, version {agentVersion}, default config (probes:maxConcurrent 64, minInterval 1 s), echo services on port 0 of 127.0.K.1",
                $"blackbox_exporter: {settings.Blackbox}; modules {Blackbox.TcpEchoModule} (a {Blackbox.PayloadSize - 1}-letter line + newline, expected back) and {UdpModule} (dns prober over UDP, one A query, the echo taken as an empty NOERROR answer)",
            };
            setup.ForEach(Progress);
            var samples = new List<MeshSample>();
            var clusters = new List<MeshClusterInfo>();
            var variants = new List<(int Nodes, string Name, string Work)>();
            foreach (var n in settings.Sizes)
            {
                var (info, measured, work) = await RunSizeAsync(settings, n, directory, config);
                clusters.Add(info);
                samples.AddRange(measured);
                variants.AddRange(work.Select(w => (n, w.Name, w.Work)));
            }
            var report = new MeshReport(MachineInfo.Read() with { ProcessorCount = Cpu.Online() }, loadBefore, MachineInfo.LoadAverage(), settings.Command,
                Method(settings), setup, clusters, Summaries(samples, variants), Ratios(samples), samples);
            var json = MeshJson.Write(report);
            if (settings.Output is { } output)
            {
                await File.WriteAllTextAsync(output, json + "\n");
            }
            Console.WriteLine(settings.Json ? json : Markdown(report));
            return report.Summaries.All(s => s.AllOk) ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>One prober's check: what it is, how many cells, and how to run it once (its sequence number making every probe a new one).</summary>
    private sealed record Variant(string Name, string Work, int Cells, bool IsOurs, Func<int, Task<Measured>> Run);

    /// <summary>What one check answered, before CPU is added.</summary>
    private sealed record Measured(int Answered, int Ok, int Cached, string? FirstFailure, double WallMs, double SlowestProbeMs, double MedianProbeMs,
        double? HeadMs = null, double? FirstCellMs = null, double? LastCellMs = null);

    private static async Task<(MeshClusterInfo Info, List<MeshSample> Samples, List<Variant> Variants)> RunSizeAsync(MeshSettings settings, int n, string directory, string config)
    {
        Progress($"N = {n}: starting {n} nodes on CPU {settings.NodeCpus}, one at a time, each joining through m1");
        var nodes = new List<MeshNode>();
        var exporters = new List<Blackbox>();
        var clock = Stopwatch.StartNew();
        try
        {
            for (var k = 1; k <= n; k++)
            {
                nodes.Add(await MeshNode.StartAsync(settings.Agent, settings.NodeCpus, k, k == 1 ? null : nodes[0].Remote, directory, StartTimeout));
            }
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri($"http://{nodes[0].Api}/"),
                Timeout = TimeSpan.FromSeconds(60),
            };
            await WaitForMembersAsync(http, n);
            var startSeconds = clock.Elapsed.TotalSeconds;
            Progress(string.Create(CultureInfo.InvariantCulture, $"N = {n}: every member Up in m1's view after {startSeconds:0.0} s; starting {n} blackbox_exporters"));
            foreach (var node in nodes)
            {
                Progress($"  {node}");
            }
            for (var k = 0; k < n; k++)
            {
                exporters.Add(await Blackbox.StartAsync(settings.Blackbox, settings.NodeCpus, config, Math.Min(settings.Concurrency, 2 * n)));
            }

            var names = nodes.Select(node => node.Name).ToList();
            List<string> tcp = [.. nodes.Select(node => $"tcp-echo:{node.TcpEcho}")];
            List<string> full = [.. nodes.SelectMany(node => new[] { $"tcp-echo:{node.TcpEcho}", $"udp-echo:{node.UdpEcho}" })];
            List<(string Module, string Target)> bbTcp = [.. nodes.Select(node => (Blackbox.TcpEchoModule, node.TcpEcho))];
            List<(string Module, string Target)> bbFull = [.. nodes.SelectMany(node => new[] { (Blackbox.TcpEchoModule, node.TcpEcho), (UdpModule, node.UdpEcho) })];
            List<Variant> variants =
            [
                new(OursOne, $"POST /api/checks on m1, from m1 only, its own {tcp[0]}: the API, the coordinator and one local probe", 1, true,
                    seq => OursAsync(http, [names[0]], [tcp[0]], seq)),
                new(OursTcp, $"POST /api/checks on m1, from all {n}, every node's tcp-echo ({n} targets)", n * n, true,
                    seq => OursAsync(http, names, tcp, seq)),
                new(OursFull, $"POST /api/checks on m1, from all {n}, every node's tcp-echo and udp-echo ({2 * n} targets)", n * 2 * n, true,
                    seq => OursAsync(http, names, full, seq)),
                new(OursStreamed, $"as {OursTcp}, streamed (NDJSON), to see when the cells arrive: not the measure, a look inside it", n * n, true,
                    seq => OursAsync(http, names, tcp, seq, stream: true)),
                new(BlackboxTcp, $"{n} exporters at once, each GET /probe?module={Blackbox.TcpEchoModule} for every node's tcp echo ({n} each, {Math.Min(settings.Concurrency, n)} at a time)", n * n, false,
                    _ => BlackboxAsync(exporters, bbTcp, settings.Concurrency)),
                new(BlackboxFull, $"{n} exporters at once, each {Blackbox.TcpEchoModule} for every tcp echo and {UdpModule} for every udp echo ({2 * n} each, {Math.Min(settings.Concurrency, 2 * n)} at a time)", n * 2 * n, false,
                    _ => BlackboxAsync(exporters, bbFull, settings.Concurrency)),
            ];

            var sequence = 0;
            var processes = new Processes(nodes, exporters);
            var (warmups, warmupFailures) = await WarmUpAsync(settings, n, variants, processes, () => ++sequence);
            var settle = await SettleAsync(processes, n);
            var (idleNodes, idleExporters) = await IdleAsync(processes);
            Progress(string.Create(CultureInfo.InvariantCulture, $"N = {n}: settled after {settle:0.0} s; idle, the nodes use {idleNodes:0.000} cores, the exporters {idleExporters:0.000}"));
            var samples = new List<MeshSample>();
            var lastOurs = Stopwatch.StartNew();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                var shift = (round - 1) % variants.Count;
                foreach (var variant in variants.Skip(shift).Concat(variants.Take(shift)))
                {
                    var (busy, waited) = await WaitForQuietAsync(settings);
                    if (variant.IsOurs && settings.Gap - lastOurs.Elapsed is { Ticks: > 0 } left)
                    {
                        // Belt and braces: each check's probes are new to the runners already (see OursAsync).
                        await Task.Delay(left);
                    }
                    var sample = await MeasureAsync(variant, n, round, processes, ++sequence, busy, waited.TotalSeconds);
                    if (variant.IsOurs)
                    {
                        lastOurs.Restart();
                    }
                    samples.Add(sample);
                    Progress(string.Create(CultureInfo.InvariantCulture,
                        $"N = {n} round {round}/{settings.Rounds} {variant.Name}: {sample.WallMs:0.0} ms, slowest probe {sample.SlowestProbeMs:0.0} ms, ok {sample.Ok}/{sample.Cells}, cached {sample.Cached}, CPU nodes {sample.NodesCpuMs:0.0} (m1 {sample.CoordinatorCpuMs:0.0}) + exporters {sample.ExportersCpuMs:0.0} ms, driver {sample.DriverCpuMs:0.0} ms; others before {busy:0.00} cores{(sample.FirstFailure is { } f ? $"; first failure: {f}" : "")}"));
                }
            }
            var unreachable = nodes.SelectMany(node => node.LogLines("unreachable").Select(line => $"{node.Name}: {line}")).ToList();
            if (unreachable.Count > 0)
            {
                Progress($"N = {n}: {unreachable.Count} log lines about unreachable members, the first: {unreachable[0]}");
            }
            return (new MeshClusterInfo(n, startSeconds, [.. nodes.Select(node => node.ToString())], warmups, warmupFailures, settle, idleNodes, idleExporters, unreachable), samples, variants);
        }
        finally
        {
            foreach (var exporter in exporters)
            {
                exporter.Dispose();
            }
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    // Every variant back to back (each our check's probes new to the runners), until both the warm-up time has passed
    // and three passes are done; a pass with a failed cell (a member's heartbeats late on a crowded core, say) does not
    // end it, up to three times the time.
    private static async Task<(int Checks, int Failures)> WarmUpAsync(MeshSettings settings, int n, List<Variant> variants, Processes processes, Func<int> next)
    {
        Progress(string.Create(CultureInfo.InvariantCulture, $"N = {n}: warming up, {settings.Warmup.TotalSeconds:0} s of checks back to back (every variant; not recorded)"));
        var clock = Stopwatch.StartNew();
        var (checks, failures, passes) = (0, 0, 0);
        while (true)
        {
            var passFailed = false;
            foreach (var variant in variants)
            {
                var sample = await MeasureAsync(variant, n, 0, processes, next(), double.NaN, 0);
                checks++;
                if (sample.Ok != sample.Cells || sample.Cached > 0)
                {
                    failures++;
                    passFailed = true;
                    Progress($"N = {n} warm-up {variant.Name}: ok {sample.Ok}/{sample.Cells}, cached {sample.Cached}: {sample.FirstFailure}");
                }
            }
            passes++;
            if ((clock.Elapsed >= settings.Warmup && passes >= 3 && !passFailed) || clock.Elapsed >= 3 * settings.Warmup)
            {
                Progress(string.Create(CultureInfo.InvariantCulture, $"N = {n}: warm-up done, {checks} checks in {clock.Elapsed.TotalSeconds:0.0} s, {failures} with a cell not ok"));
                return (checks, failures);
            }
        }
    }

    // Right after the warm-up the nodes are still busy: the JIT compiles at tier 1 what the warm-up made hot once the
    // calls calm down, in bursts (measured: a second of CPU for two nodes, another burst seconds later), on one core for
    // all of them. Wait, boundedly, until three seconds in a row stay under the limit, so the rounds run the code a
    // long-running fleet runs. An idle node itself uses 0.03-0.05 cores by schedstat (IdleAsync).
    private static async Task<double> SettleAsync(Processes processes, int n)
    {
        var limit = 0.1 + 0.05 * n;
        var clock = Stopwatch.StartNew();
        for (var calm = 0; calm < 3 && clock.Elapsed < TimeSpan.FromSeconds(60);)
        {
            var (nodes, exporters) = await CoresAsync(processes, TimeSpan.FromSeconds(1));
            calm = nodes + exporters < limit ? calm + 1 : 0;
        }
        return clock.Elapsed.TotalSeconds;
    }

    // What the cluster costs doing nothing but being one (heartbeats, gossip, timers): the median of three idle seconds.
    private static async Task<(double Nodes, double Exporters)> IdleAsync(Processes processes)
    {
        var seconds = new List<(double Nodes, double Exporters)>();
        for (var i = 0; i < 3; i++)
        {
            seconds.Add(await CoresAsync(processes, TimeSpan.FromSeconds(1)));
        }
        return (Stats.Median(seconds.Select(s => s.Nodes)), Stats.Median(seconds.Select(s => s.Exporters)));
    }

    private static async Task<(double Nodes, double Exporters)> CoresAsync(Processes processes, TimeSpan window)
    {
        var before = processes.Read();
        await Task.Delay(window);
        var (nodes, _, exporters, _) = processes.Between(before, processes.Read());
        return (nodes / window, exporters / window);
    }

    /// <summary>The processes whose CPU a check is charged: the nodes (m1 apart), the exporters, this driver.</summary>
    private sealed record Processes(IReadOnlyList<MeshNode> Nodes, IReadOnlyList<Blackbox> Exporters)
    {
        public ProcessCpu Read() => ProcessCpu.Read([.. Nodes.Select(node => node.Pid), .. Exporters.Select(e => e.Child.Process.Id), Environment.ProcessId]);

        public (TimeSpan Nodes, TimeSpan Coordinator, TimeSpan Exporters, TimeSpan Driver) Between(ProcessCpu before, ProcessCpu after) =>
            (ProcessCpu.Between(before, after, Nodes.Select(node => node.Pid)), ProcessCpu.Between(before, after, [Nodes[0].Pid]),
             ProcessCpu.Between(before, after, Exporters.Select(e => e.Child.Process.Id)), ProcessCpu.Between(before, after, [Environment.ProcessId]));
    }

    private static async Task<MeshSample> MeasureAsync(Variant variant, int n, int round, Processes processes, int sequence, double busy, double waited)
    {
        var before = processes.Read();
        var m = await variant.Run(sequence);
        var (nodes, coordinator, exporters, driver) = processes.Between(before, processes.Read());
        return new MeshSample(n, round, variant.Name, variant.Cells, m.Answered, m.Ok, m.Cached, m.FirstFailure, m.WallMs, m.SlowestProbeMs, m.MedianProbeMs,
            nodes.TotalMilliseconds, coordinator.TotalMilliseconds, exporters.TotalMilliseconds, driver.TotalMilliseconds, busy, waited,
            m.HeadMs, m.FirstCellMs, m.LastCellMs);
    }

    // POST /api/checks, not streamed unless asked. The runner answers a probe it ran less than probes:minInterval ago from
    // that result (cached: true); the timeout, 5 s plus the check's sequence number in ms, makes every check's probes new
    // ones (the timeout changes nothing a probe that succeeds does), and every cell must say cached: false.
    private static async Task<Measured> OursAsync(HttpClient http, IReadOnlyList<string> from, IReadOnlyList<string> targets, int sequence, bool stream = false)
    {
        var body = new JsonObject
        {
            ["from"] = new JsonArray([.. from.Select(name => (JsonNode)name)]),
            ["targets"] = new JsonArray([.. targets.Select(target => (JsonNode)target)]),
            ["defaults"] = new JsonObject { ["timeout"] = 5 + sequence / 1000.0 },
            ["stream"] = stream,
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/checks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
        string text;
        double? head = null, first = null, last = null;
        if (stream && response.StatusCode == HttpStatusCode.OK)
        {
            // Each line as it arrives: the check's head, the cells, the summary; the cells are gathered into the matrix's shape.
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var cells = new JsonArray();
            JsonNode? checkHead = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                var at = clock.Elapsed.TotalMilliseconds;
                var node = JsonNode.Parse(line)!;
                if (node["check"] is { } h)
                {
                    checkHead = h.DeepClone();
                    head = at;
                }
                else if (node["result"] is { } cell)
                {
                    cells.Add(cell.DeepClone());
                    first ??= at;
                    last = at;
                }
            }
            text = new JsonObject { ["nodes"] = checkHead?["nodes"]?.DeepClone(), ["results"] = cells }.ToJsonString();
        }
        else
        {
            text = await response.Content.ReadAsStringAsync();
        }
        var wall = clock.Elapsed.TotalMilliseconds;
        var expected = from.Count * targets.Count;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Measured(0, 0, 0, $"HTTP {(int)response.StatusCode}: {text}", wall, double.NaN, double.NaN);
        }
        var matrix = JsonNode.Parse(text)!;
        var results = matrix["results"]!.AsArray().Select(cell => cell!).ToList();
        var ok = results.Count(cell => cell["ok"]!.GetValue<bool>());
        var cached = results.Count(cell => cell["cached"]!.GetValue<bool>());
        string? failure = null;
        if (matrix["nodes"]?.AsArray().Select(node => node!.GetValue<string>()).SequenceEqual(from) != true)
        {
            failure = $"nodes {matrix["nodes"]?.ToJsonString()}, expected {string.Join(", ", from)}";
        }
        else if (results.FirstOrDefault(cell => !cell["ok"]!.GetValue<bool>() || cell["cached"]!.GetValue<bool>()) is { } bad)
        {
            failure = bad.ToJsonString();
        }
        else if (results.Count != expected)
        {
            failure = $"{results.Count} cells, expected {expected}";
        }
        List<double> durations = [.. results.Select(cell => cell["duration_ms"]?.GetValue<double>() ?? double.NaN).Order()];
        return new Measured(results.Count, ok, cached, failure, wall, durations.Count == 0 ? double.NaN : durations[^1], Stats.Median(durations), head, first, last);
    }

    // Every exporter at once, each keeping up to `concurrency` of its probes in flight (the runner's maxConcurrent is the
    // same 64); ok when HTTP 200 with probe_success 1.
    private static async Task<Measured> BlackboxAsync(IReadOnlyList<Blackbox> exporters, IReadOnlyList<(string Module, string Target)> probes, int concurrency)
    {
        var urls = exporters.Select(exporter => probes.Select(probe => exporter.ProbeUrl(probe.Module, probe.Target)).ToList()).ToList();
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(exporters.Select((exporter, i) => ExporterAsync(exporter, urls[i], concurrency)));
        var wall = clock.Elapsed.TotalMilliseconds;
        var all = answers.SelectMany(a => a).ToList();
        List<double> durations = [.. all.Select(a => a.DurationMs).Order()];
        return new Measured(all.Count, all.Count(a => a.Failure is null), 0, all.Select(a => a.Failure).FirstOrDefault(f => f is not null),
            wall, durations.Count == 0 ? double.NaN : durations[^1], Stats.Median(durations));
    }

    private static async Task<IReadOnlyList<(string? Failure, double DurationMs)>> ExporterAsync(Blackbox exporter, IReadOnlyList<string> urls, int concurrency)
    {
        using var gate = new SemaphoreSlim(concurrency);
        return await Task.WhenAll(urls.Select(async url =>
        {
            await gate.WaitAsync();
            try
            {
                var (ok, body) = await exporter.ProbeAsync(url);
                var metrics = Blackbox.Metrics(body);
                var duration = metrics.FirstOrDefault(line => line.StartsWith("probe_duration_seconds ", StringComparison.Ordinal)) is { } line
                    ? double.Parse(line["probe_duration_seconds ".Length..], CultureInfo.InvariantCulture) * 1000
                    : double.NaN;
                return (ok ? null : $"{url}: {string.Join(" / ", metrics)}", duration);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return ((string?)$"{url}: {e.Message}", double.NaN);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    // Membership converges over gossip: ask m1 until it lists every node Up and reachable.
    private static async Task WaitForMembersAsync(HttpClient http, int n)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < StartTimeout)
        {
            last = await http.GetStringAsync("api/nodes");
            var members = JsonNode.Parse(last)!["members"]!.AsArray();
            if (members.Count == n && members.All(m => m!["status"]!.GetValue<string>() == "Up" && m["reachable"]!.GetValue<bool>()))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the cluster of {n} never all Up and reachable in m1's view within {StartTimeout.TotalSeconds:0} s; last: {last}");
    }

    // The machine is shared: before each check, while the bench idles, wait (boundedly) until the rest of the machine
    // uses less than QuietCores (the nodes' own idle cluster traffic counts, a few hundredths of a core).
    private static async Task<(double Busy, TimeSpan Waited)> WaitForQuietAsync(MeshSettings settings)
    {
        var started = Stopwatch.GetTimestamp();
        double busy;
        while ((busy = await Cpu.MachineBusyAsync(TimeSpan.FromSeconds(0.25))) > settings.QuietCores && settings.QuietCores > 0 && Stopwatch.GetElapsedTime(started) < settings.QuietWait)
        {
        }
        return (busy, Stopwatch.GetElapsedTime(started));
    }

    // tcp_echo as the probes-per-second bench has it; udp_echo_dns: blackbox's only UDP prober that waits for an answer.
    private static string BlackboxConfig() => Blackbox.TcpEchoConfig() + $"""
          {UdpModule}:
            prober: dns
            timeout: 5s
            dns:
              transport_protocol: udp
              preferred_ip_protocol: ip4
              query_name: mesh.bench.test
              query_type: A

        """;

    private static async Task<string> VersionAsync(string agent)
    {
        var info = new ProcessStartInfo(agent.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? Environment.ProcessPath ?? "dotnet" : agent)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (agent.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(agent);
        }
        info.ArgumentList.Add("--version");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {agent}");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{agent} --version: exit status {process.ExitCode}");
    }

    private static IReadOnlyList<MeshSummary> Summaries(IReadOnlyList<MeshSample> samples, IReadOnlyList<(int Nodes, string Name, string Work)> variants) =>
    [
        .. variants.Select(v =>
        {
            var g = samples.Where(s => s.Nodes == v.Nodes && s.Variant == v.Name).ToList();
            return new MeshSummary(v.Nodes, v.Name, v.Work, g[0].Cells, g.Count,
                Stats.Median(g.Select(s => s.WallMs)), g.Min(s => s.WallMs), g.Max(s => s.WallMs),
                Stats.Median(g.Select(s => s.SlowestProbeMs)), Stats.Median(g.Select(s => s.MedianProbeMs)),
                Stats.Median(g.Select(s => s.WallMs - s.SlowestProbeMs)),
                Stats.Median(g.Select(s => s.NodesCpuMs + s.ExportersCpuMs)), Stats.Median(g.Select(s => s.NodesCpuMs)), Stats.Median(g.Select(s => s.ExportersCpuMs)),
                Stats.Median(g.Select(s => s.CoordinatorCpuMs)),
                Stats.Median(g.Select(s => s.DriverCpuMs)), Stats.Median(g.Select(s => s.OthersBusyBefore)),
                g.All(s => s.Ok == s.Cells && s.Answered == s.Cells && s.Cached == 0 && s.FirstFailure is null),
                g.Sum(s => s.Cells - s.Ok), g.Sum(s => s.Cached), g.Select(s => s.FirstFailure).FirstOrDefault(f => f is not null),
                MedianOf(g.Select(s => s.HeadMs)), MedianOf(g.Select(s => s.FirstCellMs)), MedianOf(g.Select(s => s.LastCellMs)));
        }),
    ];

    private static double? MedianOf(IEnumerable<double?> values) =>
        values.Where(v => v is not null).Select(v => v!.Value).ToList() is { Count: > 0 } present ? Stats.Median(present) : null;

    private static IReadOnlyList<MeshRatio> Ratios(IReadOnlyList<MeshSample> samples) =>
    [
        .. samples.Select(s => s.Nodes).Distinct().SelectMany(n => new[]
        {
            Ratio(samples, n, "tcp-echo only (like for like)", OursTcp, BlackboxTcp),
            Ratio(samples, n, "full mesh (blackbox's udp: one datagram through its dns prober, ours: five, 10 ms apart)", OursFull, BlackboxFull),
        }),
    ];

    private static MeshRatio Ratio(IReadOnlyList<MeshSample> samples, int n, string comparison, string ours, string blackbox)
    {
        var paired = samples.Where(s => s.Nodes == n).GroupBy(s => s.Round)
            .Select(r => (Ours: r.Single(s => s.Variant == ours), Blackbox: r.Single(s => s.Variant == blackbox))).ToList();
        var time = paired.Select(p => p.Ours.WallMs / p.Blackbox.WallMs).ToList();
        var cpu = paired.Select(p => (p.Ours.NodesCpuMs + p.Ours.ExportersCpuMs) / (p.Blackbox.NodesCpuMs + p.Blackbox.ExportersCpuMs)).ToList();
        return new MeshRatio(n, comparison, ours, blackbox, paired[0].Ours.Cells,
            Stats.Median(paired.Select(p => p.Ours.WallMs)), Stats.Median(paired.Select(p => p.Blackbox.WallMs)),
            Stats.Median(time), time.Min(), time.Max(), Stats.Median(cpu), cpu.Min(), cpu.Max());
    }

    private static string Method(MeshSettings s) => string.Create(CultureInfo.InvariantCulture,
        $"for N in {string.Join(", ", s.Sizes)}: N agent run processes (m1..mN, each a tcp and a udp echo service on 127.0.K.1, joined through m1, default config) and N blackbox_exporters, all pinned to CPU {s.NodeCpus}; " +
        $"this driver elsewhere. Ours: POST /api/checks on m1, not streamed, timed from the request to the whole answer read; blackbox: every exporter's /probe requests at once " +
        $"(up to {s.Concurrency} in flight per exporter, keep-alive), timed from the first sent to the last answer read. {s.Warmup.TotalSeconds:0} s of unrecorded checks back to back first (at least 3 passes), " +
        $"then up to 60 s for the nodes' CPU to stay below 0.1 + 0.05 N cores three seconds in a row (tier-1 compiles), then {s.Rounds} rounds of every variant, each round starting with the next; before each check up to {s.QuietWait.TotalSeconds:0.#} s waiting for the rest of the machine to use under {s.QuietCores:0.##} cores, " +
        $"and at least {s.Gap.TotalSeconds:0.#} s between two of our checks; each of our checks' probes have a timeout of its own (5 s + its sequence number in ms) so none is answered from a recent result, and every cell must say cached: false. " +
        $"CPU: every thread's schedstat of the nodes, the exporters and the driver, read just before and after each check, subtracted thread by thread");

    private static string Markdown(MeshReport r)
    {
        var m = r.Machine;
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        Line($"# Full-mesh checks, {m.ProcessorCount} CPUs ({m.CpuModel}), {m.Memory}, {m.Runtime}, Akka.NET {m.Akka}");
        Line($"# load average before: {r.LoadAverageBefore}; after: {r.LoadAverageAfter}");
        Line($"# command: {r.Command}");
        Line($"# method: {r.Method}");
        foreach (var line in r.Setup)
        {
            Line($"# {line}");
        }
        foreach (var c in r.Clusters)
        {
            Line(F($"# N = {c.Nodes}: all Up after {c.StartSeconds:0.0} s; warm-up {c.WarmupChecks} checks, {c.WarmupFailures} with a cell not ok; settled {c.SettleSeconds:0.0} s after it; idle, the nodes used {c.IdleNodesCores:0.000} cores and the exporters {c.IdleExportersCores:0.000}; {c.UnreachableLines.Count} log lines about unreachable members"));
        }
        Line();
        Line("| N | comparison | cells | ours median ms | blackbox median ms | ours / blackbox time (median) | range over rounds | ours / blackbox CPU per check (median) | range |");
        Line("|---:|---|---:|---:|---:|---:|---|---:|---|");
        foreach (var x in r.Ratios)
        {
            Line(F($"| {x.Nodes} | {x.Comparison} | {x.Cells} | {x.OursMedianMs:0.0} | {x.BlackboxMedianMs:0.0} | {x.MedianTimeRatio:0.00}x | {x.MinTimeRatio:0.00}–{x.MaxTimeRatio:0.00}x | {x.MedianCpuRatio:0.00}x | {x.MinCpuRatio:0.00}–{x.MaxCpuRatio:0.00}x |"));
        }
        Line();
        Line("| N | variant | cells | wall ms (median) | min–max | slowest probe ms | median probe ms | wall − slowest probe ms | CPU ms per check: nodes | exporters | of the nodes', m1 | driver CPU ms | others before, cores | all ok, none cached |");
        Line("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in r.Summaries)
        {
            var verdict = s.AllOk ? "yes" : $"**no**: {s.FailedCells} failed, {s.CachedCells} cached";
            Line(F($"| {s.Nodes} | {s.Variant} | {s.Cells} | {s.MedianWallMs:0.0} | {s.MinWallMs:0.0}–{s.MaxWallMs:0.0} | {s.MedianSlowestProbeMs:0.0} | {s.MedianProbeMs:0.0} | {s.MedianOverheadMs:0.0} | {s.MedianNodesCpuMs:0.0} | {s.MedianExportersCpuMs:0.0} | {s.MedianCoordinatorCpuMs:0.0} | {s.MedianDriverCpuMs:0.0} | {s.MedianOthersBusyBefore:0.00} | {verdict} |"));
        }
        Line();
        Line("| N | streamed check: cells | head line ms | first cell ms | last cell ms | end ms (median) |");
        Line("|---:|---:|---:|---:|---:|---:|");
        foreach (var s in r.Summaries.Where(s => s.MedianHeadMs is not null))
        {
            Line(F($"| {s.Nodes} | {s.Cells} | {s.MedianHeadMs:0.0} | {s.MedianFirstCellMs:0.0} | {s.MedianLastCellMs:0.0} | {s.MedianWallMs:0.0} |"));
        }
        foreach (var s in r.Summaries.Where(s => s.FirstFailure is not null))
        {
            Line();
            Line($"N = {s.Nodes}, {s.Variant}: first failure: {s.FirstFailure}");
        }
        return text.ToString();
    }

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
