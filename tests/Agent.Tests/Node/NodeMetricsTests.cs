using Agent.Actors.Cluster;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Node;
using Agent.TestSupport;
using Xunit;

namespace Agent.Tests.Node;

/// <summary><c>GET /metrics</c>: the node's registry read directly after <see cref="NodeMetrics.Record"/> calls.</summary>
public sealed class NodeMetricsTests
{
    [Fact]
    public async Task Record_Exposition_HasEveryFamilyWithHelpAndTypeAndTheValues()
    {
        var metrics = new NodeMetrics();

        Assert.True(metrics.Record("edge-1", Ok("dns:localhost", 2.5, null, new DnsAnswer(["::1", "127.0.0.1"], "localhost"))));
        Assert.True(metrics.Record("edge-1", Ok("tcp:[::1]:7", 1.25, "tcp:[::1]:7")));
        Assert.True(metrics.Record("edge-2", Ok("udp-echo:127.0.0.1:7", 0.5, "udp:127.0.0.1:7")));
        Assert.True(metrics.Record("edge-2", Ok("unix-echo:/run/echo", 0.1, "unix:/run/echo")));
        Assert.True(metrics.Record("edge-2", Failed("tcp-echo:127.0.0.1:1", new PythonError("ConnectionRefusedError", 111, "Connection refused"))));
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
        Assert.Equal("NaN", Sample(text, "probe_duration_seconds", "edge-2", "tcp-echo:127.0.0.1:1"));
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
