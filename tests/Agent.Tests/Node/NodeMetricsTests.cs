using System.Net;
using System.Text.Json.Nodes;
using Agent.Actors.Cluster;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Node;
using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;
using static Agent.Tests.Node.ClusterTestKit;

namespace Agent.Tests.Node;

/// <summary>
/// <c>GET /metrics</c>: the node's registry read directly after <see cref="NodeMetrics.Record"/> calls, Debian's
/// <c>promtool check metrics</c> on what a real node serves, and a real Prometheus scraping a real node with its token.
/// </summary>
public sealed class NodeMetricsTests
{
    private const string Token = "metrics-token-0123456789";

    [Fact]
    public async Task Record_Exposition_HasEveryFamilyWithHelpAndTypeAndTheValues()
    {
        var metrics = new NodeMetrics();

        Assert.True(metrics.Record("edge-1", Ok("dns:localhost", 2.5, null, new DnsAnswer(["::1", "127.0.0.1"], "localhost"))));
        Assert.True(metrics.Record("edge-1", Ok("tcp:[::1]:7", 1.25, "tcp:[::1]:7")));
        Assert.True(metrics.Record("edge-2", Ok("udp-echo:127.0.0.1:7", 0.5, "udp:127.0.0.1:7")));
        Assert.True(metrics.Record("edge-2", Ok("unix-echo:/run/echo", 0.1, "unix:/run/echo")));
        Assert.True(metrics.Record("edge-2", Failed("tcp-echo:127.0.0.1:1", new PythonError("ConnectionRefusedError", 111, "Connection refused"))));
        Assert.True(metrics.Record("edge-2", Failed("tcp:127.0.0.1:2", new PythonError("TimeoutError", null, "timed out")) with { DurationMs = 5001.5 }));
        var text = await ExpositionAsync(metrics);

        foreach (var (family, type) in new[]
        {
            ("probe_success", "gauge"), ("probe_duration_seconds", "gauge"), ("probe_dns_lookup_time_seconds", "gauge"),
            ("probe_ip_protocol", "gauge"), ("agent_probes_total", "counter"), ("agent_probe_series_dropped_total", "counter"),
            ("agent_cluster_members", "gauge"), ("agent_cluster_unreachable_members", "gauge"),
            ("process_cpu_seconds_total", "counter"), ("process_start_time_seconds", "gauge"),
        })
        {
            Assert.Contains($"# TYPE {family} {type}", text);
            Assert.Matches($"(?m)^# HELP {family} .+$", text);
        }
        Assert.Equal("1", Sample(text, "probe_success", "edge-1", "dns:localhost"));
        Assert.Equal("0.0025", Sample(text, "probe_duration_seconds", "edge-1", "dns:localhost"));
        Assert.Equal("0.0025", Sample(text, "probe_dns_lookup_time_seconds", "edge-1", "dns:localhost"));
        Assert.Equal("6", Sample(text, "probe_ip_protocol", "edge-1", "dns:localhost"));
        Assert.Equal("0.00125", Sample(text, "probe_duration_seconds", "edge-1", "tcp:[::1]:7"));
        Assert.Equal("6", Sample(text, "probe_ip_protocol", "edge-1", "tcp:[::1]:7"));
        Assert.Equal("4", Sample(text, "probe_ip_protocol", "edge-2", "udp-echo:127.0.0.1:7"));
        Assert.Equal("0", Sample(text, "probe_ip_protocol", "edge-2", "unix-echo:/run/echo"));
        Assert.Equal("0", Sample(text, "probe_success", "edge-2", "tcp-echo:127.0.0.1:1"));
        // How long a failed probe took is its duration, as blackbox_exporter reports it; unknown, NaN.
        Assert.Equal("NaN", Sample(text, "probe_duration_seconds", "edge-2", "tcp-echo:127.0.0.1:1"));
        Assert.Equal("5.0015", Sample(text, "probe_duration_seconds", "edge-2", "tcp:127.0.0.1:2"));
        Assert.Equal("0", Sample(text, "probe_ip_protocol", "edge-2", "tcp-echo:127.0.0.1:1"));
        // Only dns targets have a lookup time.
        Assert.DoesNotContain("probe_dns_lookup_time_seconds{node=\"edge-1\",target=\"tcp:", text, StringComparison.Ordinal);
        Assert.Contains("agent_probes_total{kind=\"tcp-echo\",outcome=\"failed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agent_probes_total{kind=\"dns\",outcome=\"ok\"} 1", text, StringComparison.Ordinal);
        // Every kind and outcome is there from the start, so a rate never starts from a missing series.
        Assert.Contains("agent_probes_total{kind=\"unix-dgram-echo\",outcome=\"failed\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("agent_cluster_members{status=\"weakly_up\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_CachedResult_SetsTheGaugesButCountsNoProbe()
    {
        var metrics = new NodeMetrics();
        metrics.Record("edge-1", Ok("tcp:127.0.0.1:7", 1, "tcp:127.0.0.1:7"));
        metrics.Record("edge-1", Failed("tcp:127.0.0.1:7", new PythonError("TimeoutError", null, "timed out")) with { Cached = true });

        var text = await ExpositionAsync(metrics);
        Assert.Equal("0", Sample(text, "probe_success", "edge-1", "tcp:127.0.0.1:7"));
        Assert.Contains("agent_probes_total{kind=\"tcp\",outcome=\"ok\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agent_probes_total{kind=\"tcp\",outcome=\"failed\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_BeyondTheSeriesBound_NewPairsRefusedAndCounted_KnownPairsStillUpdated()
    {
        var metrics = new NodeMetrics(maxSeries: 3);
        for (var port = 1; port <= 3; port++)
        {
            Assert.True(metrics.Record("edge-1", Ok($"tcp:127.0.0.1:{port}", 1, null)));
        }

        Assert.False(metrics.Record("edge-1", Ok("tcp:127.0.0.1:4", 1, null)));
        Assert.False(metrics.Record("edge-2", Ok("tcp:127.0.0.1:1", 1, null)));
        Assert.True(metrics.Record("edge-1", Failed("tcp:127.0.0.1:1", new PythonError("TimeoutError", null, "timed out"))));
        var text = await ExpositionAsync(metrics);
        Assert.Equal(3, metrics.SeriesCount);
        Assert.Contains("agent_probe_series_dropped_total 2", text, StringComparison.Ordinal);
        Assert.Null(Sample(text, "probe_success", "edge-1", "tcp:127.0.0.1:4"));
        Assert.Null(Sample(text, "probe_success", "edge-2", "tcp:127.0.0.1:1"));
        Assert.Equal("0", Sample(text, "probe_success", "edge-1", "tcp:127.0.0.1:1"));

        // Forgetting a pair makes room for another.
        Assert.True(metrics.Forget("edge-1", ProbeTarget.Parse("tcp:127.0.0.1:2")));
        Assert.False(metrics.Forget("edge-1", ProbeTarget.Parse("tcp:127.0.0.1:2")));
        Assert.True(metrics.Record("edge-2", Ok("tcp:127.0.0.1:1", 1, null)));
        text = await ExpositionAsync(metrics);
        Assert.Null(Sample(text, "probe_success", "edge-1", "tcp:127.0.0.1:2"));
        Assert.Null(Sample(text, "probe_duration_seconds", "edge-1", "tcp:127.0.0.1:2"));
        Assert.Null(Sample(text, "probe_ip_protocol", "edge-1", "tcp:127.0.0.1:2"));
        Assert.Equal("1", Sample(text, "probe_success", "edge-2", "tcp:127.0.0.1:1"));
    }

    [Fact]
    public async Task Record_FromManyThreadsAtOnce_KeepsExactlyTheBound()
    {
        var metrics = new NodeMetrics(maxSeries: 500);
        var accepted = 0;
        await Parallel.ForAsync(0, 2_000, (i, _) =>
        {
            // Each pair is recorded twice, from different threads: the second never counts as a new pair.
            if (metrics.Record($"edge-{i % 4}", Ok($"tcp:127.0.0.1:{(i / 4 % 500) + 1}", 1, null)))
            {
                Interlocked.Increment(ref accepted);
            }
            return ValueTask.CompletedTask;
        });

        Assert.Equal(500, metrics.SeriesCount);
        var text = await ExpositionAsync(metrics);
        Assert.Equal(500, text.Split('\n').Count(line => line.StartsWith("probe_success{", StringComparison.Ordinal)));
        Assert.Contains($"agent_probe_series_dropped_total {2_000 - accepted}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_Node_RemovesEveryTargetOfThatNodeOnly()
    {
        var metrics = new NodeMetrics();
        metrics.Record("edge-1", Ok("tcp:127.0.0.1:1", 1, null));
        metrics.Record("edge-1", Ok("dns:localhost", 1, null));
        metrics.Record("edge-2", Ok("tcp:127.0.0.1:1", 1, null));

        Assert.Equal(2, metrics.Forget("edge-1"));
        var text = await ExpositionAsync(metrics);
        Assert.DoesNotContain("node=\"edge-1\"", text, StringComparison.Ordinal);
        Assert.Equal("1", Sample(text, "probe_success", "edge-2", "tcp:127.0.0.1:1"));
        Assert.Equal(1, metrics.SeriesCount);
    }

    [Fact]
    public async Task TwoNodesInOneProcess_ShareNoSeries()
    {
        var first = new NodeMetrics();
        var second = new NodeMetrics();
        first.Record("edge-1", Ok("tcp:127.0.0.1:1", 1, null));

        Assert.Null(Sample(await ExpositionAsync(second), "probe_success", "edge-1", "tcp:127.0.0.1:1"));
        Assert.Contains("agent_probes_total{kind=\"tcp\",outcome=\"ok\"} 0", await ExpositionAsync(second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterGauges_CollectedAtScrape_EveryStatusPresent_LastValuesKeptWhenTheDirectoryIsSlow()
    {
        var answer = new TaskCompletionSource<MemberDirectory.MemberList>();
        answer.SetResult(new MemberDirectory.MemberList("a", "akka.tcp://agent@127.0.0.1:1",
            [Member("a", "Up", true), Member("b", "Up", false), Member("c", "Joining", true), Member("d", "Leaving", false)]));
        var metrics = new NodeMetrics(_ => answer.Task, clusterTimeout: TimeSpan.FromMilliseconds(200));

        var text = await ExpositionAsync(metrics);
        Assert.Contains("agent_cluster_members{status=\"up\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("agent_cluster_members{status=\"joining\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("agent_cluster_members{status=\"leaving\"} 1", text, StringComparison.Ordinal);
        foreach (var status in new[] { "weakly_up", "exiting", "down", "removed" })
        {
            Assert.Contains($"agent_cluster_members{{status=\"{status}\"}} 0", text, StringComparison.Ordinal);
        }
        Assert.Contains("agent_cluster_unreachable_members 2", text, StringComparison.Ordinal);

        // A directory that never answers: the scrape is not held beyond the bound, and the last values stay.
        answer = new TaskCompletionSource<MemberDirectory.MemberList>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        text = await ExpositionAsync(metrics).WaitAsync(TestTime.Seconds(10));
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(150), $"the scrape took {started.Elapsed}, so it did not wait for the directory");
        Assert.Contains("agent_cluster_members{status=\"up\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("agent_cluster_unreachable_members 2", text, StringComparison.Ordinal);
    }

    /// <summary>(b) Debian's promtool accepts what a real node serves, and what the registry writes for hard label values.</summary>
    [TestBedFact("promtool")]
    public async Task Promtool_AcceptsARealNodesMetricsAndHardLabelValues()
    {
        var promtool = TestBed.Tool("promtool");
        using var dir = new TempDirectory();
        await using var node = await RunningNode.StartAsync(dir, "scraped");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Api}/") };

        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var served = await response.Content.ReadAsStringAsync();
        Assert.Contains("agent_cluster_members{status=\"up\"} 1", served, StringComparison.Ordinal);
        Assert.Contains("# TYPE probe_success gauge", served, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total ", served, StringComparison.Ordinal);
        await AssertPromtoolAcceptsAsync(promtool, dir, served);

        // Behind the API's browser checks like every endpoint.
        using var fromPage = new HttpRequestMessage(HttpMethod.Get, "metrics");
        fromPage.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(fromPage)).StatusCode);

        // Label values an API user may write: quotes, backslashes, non-ASCII, IPv6 scopes.
        var metrics = new NodeMetrics();
        metrics.Record("edge-1", Ok("dns:a\"b\\c", 1, null, new DnsAnswer(["fe80::1%2"], null)));
        metrics.Record("edge-1", Ok("dns:bücher.example", 1, null));
        metrics.Record("edge-1", Ok("tcp:[fe80::1%eth0]:80", 1, "tcp:[fe80::1%eth0]:80"));
        metrics.Record("edge-1", Failed("unix-dgram-echo:@abstract", new PythonError("FileNotFoundError", 2, "No such file or directory")));
        var hard = await ExpositionAsync(metrics);
        Assert.Contains("target=\"dns:a\\\"b\\\\c\"", hard, StringComparison.Ordinal);
        await AssertPromtoolAcceptsAsync(promtool, dir, hard);
    }

    /// <summary>
    /// (c) A real Prometheus scrapes a real node whose API needs a token: with the token in its scrape config the target
    /// is up and the cluster gauge arrives; without it the same target is down with a 401.
    /// </summary>
    [TestBedFact("prometheus")]
    public async Task Prometheus_ScrapesANodeWithItsToken_UpAndClusterGauge_WithoutTheToken401()
    {
        var prometheus = TestBed.Tool("prometheus");
        using var dir = new TempDirectory();
        await using var node = await RunningNode.StartAsync(dir, "scraped", environment: new Dictionary<string, string> { ["AGENT_API__TOKEN"] = Token });
        var port = FreePort();
        var config = Path.Combine(dir.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: agent
                authorization:
                  credentials: {Token}
                static_configs:
                  - targets: ["{node.Api}"]
              - job_name: agent-without-token
                static_configs:
                  - targets: ["{node.Api}"]
            """);
        await using var server = AgentProcess.Start(prometheus, dir.Path,
        [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(dir.Path, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        Assert.Equal("1", await WaitForQueryAsync(http, server, "up{job=\"agent\"}", value => value == "1"));
        Assert.Equal("1", await WaitForQueryAsync(http, server, "agent_cluster_members{job=\"agent\",status=\"up\"}", value => value == "1"));
        Assert.Equal("0", await WaitForQueryAsync(http, server, "agent_cluster_unreachable_members{job=\"agent\"}", value => value is not null));
        Assert.Equal("0", await WaitForQueryAsync(http, server, "up{job=\"agent-without-token\"}", value => value is not null));
        var targets = JsonNode.Parse(await http.GetStringAsync("api/v1/targets"))!["data"]!["activeTargets"]!.AsArray();
        var refused = targets.Single(t => t!["labels"]!["job"]!.GetValue<string>() == "agent-without-token")!;
        Assert.Contains("401", refused["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(30));
    }

    private static async Task AssertPromtoolAcceptsAsync(string promtool, TempDirectory dir, string exposition)
    {
        var (code, stdout, stderr) = await AgentProcess.RunAsync(promtool, dir.Path, ["check", "metrics"], stdin: exposition);
        Assert.True(code == 0, $"promtool check metrics exited {code}:\n{stdout}{stderr}\non:\n{exposition}");
    }

    // Asks Prometheus's query API until the one sample of `query` satisfies `expected` (its value, null while there is
    // none), within a dilated deadline: Prometheus takes a moment to start and then scrapes every second.
    private static async Task<string?> WaitForQueryAsync(HttpClient http, AgentProcess server, string query, Func<string?, bool> expected)
    {
        using var deadline = new CancellationTokenSource(TestBed.Dilated(60));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        string? value = null;
        string last = "(no answer yet)";
        do
        {
            Assert.False(server.HasExited, $"prometheus exited:\n{server.Stderr}");
            try
            {
                last = await http.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(query)}", deadline.Token);
                value = JsonNode.Parse(last)!["data"]!["result"]!.AsArray() is [var sample] ? sample!["value"]![1]!.GetValue<string>() : null;
                if (expected(value))
                {
                    return value;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }
        }
        while (await WaitTick(tick, deadline.Token));
        throw new Xunit.Sdk.XunitException($"{query}: never as expected within {TestBed.Dilated(60)}; last answer: {last}\nprometheus stderr:\n{server.Stderr}");
    }

    private static async Task<string> ExpositionAsync(NodeMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    // The value of the one sample of `family` for node x target, or null when there is none.
    private static string? Sample(string exposition, string family, string node, string target)
    {
        var prefix = $"{family}{{node=\"{node}\",target=\"{target}\"}} ";
        return exposition.Split('\n').FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    private static ProbeResult Ok(string target, double latencyMs, string? address, DnsAnswer? dns = null) =>
        new(ProbeTarget.Parse(target), true, latencyMs, address, null, null, 1, Dns: dns);

    private static ProbeResult Failed(string target, PythonError error) =>
        new(ProbeTarget.Parse(target), false, null, null, error, null, 1);

    private static MemberDirectory.MemberInfo Member(string name, string status, bool reachable) =>
        new(name, $"akka.tcp://agent@127.0.0.1:{name[0]}", status, reachable, new Dictionary<string, string>(), null);
}
