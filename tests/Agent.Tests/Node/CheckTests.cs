using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;
using static Agent.Tests.Node.ClusterTestKit;

namespace Agent.Tests.Node;

/// <summary>
/// <c>agent check</c> and <c>POST /api/checks</c> against real <c>agent run</c> clusters on loopback: the matrix holds one
/// cell per node and target with exactly the failures the targets have, in Python's words; a member killed mid-check
/// gets NodeUnreachable cells without waiting for the probes' timeout.
/// </summary>
public sealed class CheckTests
{
    private static string Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);

    private static string Listening(RunningNode node, string kind) =>
        node.Process.Stdout.Split('\n').Single(l => l.StartsWith($"listening {kind} ", StringComparison.Ordinal))[$"listening {kind} ".Length..];

    [Fact]
    public async Task Check_TwoNodes_EachCellOkOrItsTargetsOwnError()
    {
        using var dir = new TempDirectory();
        await using var first = await RunningNode.StartAsync(dir, "first", "--echo", "udp:127.0.0.1:0");
        await using var second = await RunningNode.StartAsync(dir, "second", "--seed", first.Remote, "--label", "zone=eu");
        await WaitForMembersAsync(first.Api, AllUp(2));
        // Bound but not listening: refused for as long as the test holds it.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string[] targets =
        [
            $"tcp-echo:{Listening(first, "tcp")}",
            $"udp-echo:{Listening(first, "udp")}",
            $"tcp:127.0.0.1:{Port(closed)}",
            "dns:localhost",
            "dns:no-such-host.invalid",
            $"unix-echo:{dir.Path}/no-such-socket",
        ];

        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, ["check", .. targets, "--timeout", "5", "--json", "--api", second.Api]);
        Assert.True(code == 1, $"exit {code}: {stderr}");
        var matrix = JsonNode.Parse(stdout)!;
        Assert.Equal(["first", "second"], Strings(matrix["nodes"]));
        Assert.Equal(targets, Strings(matrix["targets"]));
        var results = matrix["results"]!.AsArray();
        Assert.Equal(12, results.Count);
        string?[] expected = [null, null, "ConnectionRefusedError", null, "gaierror", "FileNotFoundError"];
        for (var i = 0; i < results.Count; i++)
        {
            var cell = results[i]!;
            Assert.Equal(i < 6 ? "first" : "second", cell["node"]!.GetValue<string>());
            Assert.Equal(targets[i % 6], cell["target"]!.GetValue<string>());
            Assert.True(cell["error"]?["error"]?.GetValue<string>() == expected[i % 6], cell.ToJsonString());
            Assert.Equal(expected[i % 6] is null, cell["ok"]!.GetValue<bool>());
            Assert.Equal(expected[i % 6] is null, cell["latency_ms"] is not null);
        }
        Assert.Equal("""{"error":"ConnectionRefusedError","errno":111,"strerror":"Connection refused"}""", results[2]!["error"]!.ToJsonString());
        Assert.Equal("""{"error":"gaierror","errno":-2,"strerror":"Name or service not known"}""", results[4]!["error"]!.ToJsonString());
        Assert.Equal(2, results[5]!["error"]!["errno"]!.GetValue<int>());
        Assert.Equal(5, results[1]!["datagrams"]!["received"]!.GetValue<int>());
        Assert.Equal($"tcp:{Listening(first, "tcp")}", results[0]!["address"]!.GetValue<string>());
        Assert.Equal("""{"ok":6,"failed":6}""", matrix["summary"]!.ToJsonString());

        // Text: the matrix, each failure in full, the summary; --from a label chooses its members only.
        var text = await AgentProcess.RunAgentAsync(dir.Path, ["check", .. targets[..3], "--from", "zone=eu", "--api", first.Api]);
        Assert.Equal(1, text.ExitCode);
        var lines = text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        Assert.Contains(lines, l => l.StartsWith("second ", StringComparison.Ordinal) && l.Contains("ConnectionRefusedError", StringComparison.Ordinal) && l.Contains("ok ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("first", StringComparison.Ordinal));
        Assert.Contains($"second  tcp:127.0.0.1:{Port(closed)}  ConnectionRefusedError: [Errno 111] Connection refused", lines);
        Assert.Equal("2 ok, 1 failed (1 node(s) x 3 target(s))", lines[^1][..lines[^1].IndexOf(" in ", StringComparison.Ordinal)]);

        var allOk = await AgentProcess.RunAgentAsync(dir.Path, "check", targets[0], "dns:localhost", "--from", "second,first", "--json", "--api", first.Api);
        Assert.Equal(0, allOk.ExitCode);
        Assert.Equal(["second", "first"], Strings(JsonNode.Parse(allOk.Stdout)!["nodes"]));

        // A targets file: its defaults, each target's own options and a query script travel to every member.
        var file = Path.Combine(dir.Path, "targets.yaml");
        await File.WriteAllTextAsync(file, $"""
            defaults:
              timeout: 3
            targets:
              - dns:localhost
              - target: tcp:{Listening(first, "tcp")}
                query_response:
                  - send: "PING\n"
                  - expect: "^PING$"
              - target: tcp:127.0.0.1:{Port(closed)}
                retries: 1
            """);
        var viaFile = await AgentProcess.RunAgentAsync(dir.Path, "check", "--targets", file, "--json", "--api", first.Api);
        Assert.True(viaFile.ExitCode == 1, viaFile.Stderr);
        var fileCells = JsonNode.Parse(viaFile.Stdout)!["results"]!.AsArray().Select(c => c!).ToList();
        Assert.Equal(6, fileCells.Count);
        Assert.All(fileCells.Where(c => c["target"]!.GetValue<string>() != $"tcp:127.0.0.1:{Port(closed)}"), c => Assert.True(c["ok"]!.GetValue<bool>(), c.ToJsonString()));
        Assert.All(fileCells.Where(c => c["target"]!.GetValue<string>() == $"tcp:127.0.0.1:{Port(closed)}"), c => Assert.Equal(2, c["attempts"]!.GetValue<int>()));

        var badFile = Path.Combine(dir.Path, "bad.json");
        await File.WriteAllTextAsync(badFile, """{"targets": [{"target": "dns:a", "timout": 1}]}""");
        var refused = await AgentProcess.RunAgentAsync(dir.Path, "check", "--targets", badFile, "--api", first.Api);
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"agent: --targets {badFile}: targets[0].timout: unknown field", refused.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BadInput_ExitsTwoNamingIt()
    {
        using var dir = new TempDirectory();
        var noNode = $"127.0.0.1:{FreePort()}";
        foreach (var (args, message) in new (string[], string)[]
        {
            (["check", "http:example.org:80"], "agent: unknown scheme 'http' in 'http:example.org:80'"),
            (["check", "tcp:localhost:0"], "agent: 'tcp:localhost:0': a probe needs a port 1-65535, got 0"),
            (["check", "dns:a", "dns:a"], "agent: target dns:a is given twice"),
            (["check", "dns:a", "--retries", "99"], "agent: --retries must be 0-10, got 99"),
            (["check", "dns:a", "--timeout", "0"], "agent: --timeout must be above 0 and at most 300 s, got 0"),
            (["check", "dns:a", "--from", "no spaces"], "agent: --from: 'no spaces' is neither a node name"),
            (["check"], "agent: give at least one TARGET or --targets FILE"),
            (["check", "--targets", "/nonexistent/targets.json"], "agent: --targets /nonexistent/targets.json: Could not find"),
        })
        {
            var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, [.. args, "--api", noNode]);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}, {stderr}");
            Assert.Equal("", stdout);
            Assert.StartsWith(message, stderr.Trim(), StringComparison.Ordinal);
        }

        var none = await AgentProcess.RunAgentAsync(dir.Path, "check", "dns:localhost", "--api", noNode);
        Assert.Equal(1, none.ExitCode);
        Assert.StartsWith($"agent: no node answers at {noNode}", none.Stderr.Trim(), StringComparison.Ordinal);

        await using var node = await RunningNode.StartAsync(dir, "only");
        var unknown = await AgentProcess.RunAgentAsync(dir.Path, "check", "dns:localhost", "--from", "ghost", "--api", node.Api);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("agent: unknown node 'ghost' (members: only)", unknown.Stderr.Trim());
    }

    [Fact]
    public async Task Api_StreamsTheCheckLineThenEachCellThenTheSummary_RefusesBadBodies()
    {
        using var dir = new TempDirectory();
        await using var node = await RunningNode.StartAsync(dir, "only");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Api}/") };

        var streamed = await PostAsync(http, """{"targets": ["dns:localhost", "tcp:127.0.0.1:1"], "defaults": {"timeout": 2}, "stream": true}""");
        Assert.Equal(HttpStatusCode.OK, streamed.Status);
        Assert.Equal("application/x-ndjson", streamed.ContentType);
        var lines = streamed.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["check", "result", "result", "summary"], lines.Select(l => l.Single().Key));
        Assert.Equal(["only"], Strings(lines[0]["check"]!["nodes"]));
        Assert.Equal(["dns:localhost", "tcp:127.0.0.1:1"], Strings(lines[0]["check"]!["targets"]));
        Assert.True(lines[0]["check"]!["deadline_s"]!.GetValue<double>() > 2);
        Assert.Equal("""{"ok":1,"failed":1}""", lines[^1]["summary"]!.ToJsonString());

        var whole = await PostAsync(http, """{"from": ["only"], "targets": ["dns:localhost"]}""");
        Assert.Equal(HttpStatusCode.OK, whole.Status);
        Assert.Equal("application/json", whole.ContentType);
        Assert.Equal("""{"ok":1,"failed":0}""", JsonNode.Parse(whole.Body)!["summary"]!.ToJsonString());

        foreach (var (body, message) in new[]
        {
            ("""{"targets": []}""", "targets: empty (at least one target)"),
            ("""{"targets": ["dns:a"], "targets": ["dns:b"]}""", "the body gives a field twice"),
            ("""{"targets": ["dns:a"], "form": "all"}""", "unknown field 'form'"),
            ("""{"targets": ["dns:a", "dns:a"]}""", "targets[1]: duplicate of targets[0] ('dns:a')"),
            ("""{"targets": ["tcp:x"]}""", "targets[0]: "),
            ("""{"targets": ["dns:a"], "defaults": {"retries": 11}}""", "defaults.retries: expected an integer 0-10, got 11"),
            ("""{"targets": ["dns:a"], "from": "ghost"}""", "unknown node 'ghost'"),
            ($$"""{"targets": [{{string.Join(',', Enumerable.Range(1, 2001).Select(i => $"\"dns:h{i}\""))}}]}""", "a check probes at most 2000 targets, got 2001"),
        })
        {
            var refused = await PostAsync(http, body);
            Assert.True(refused.Status == HttpStatusCode.BadRequest, $"{body}: {refused.Status} {refused.Body}");
            Assert.Contains(message, JsonNode.Parse(refused.Body)!["strerror"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MemberKilledMidCheck_ItsCellsNodeUnreachableBeforeItsProbesTimeOut()
    {
        using var dir = new TempDirectory();
        await using var first = await RunningNode.StartAsync(dir, "first");
        var second = await RunningNode.StartAsync(dir, "second", "--seed", first.Remote);
        await WaitForMembersAsync(first.Api, AllUp(2));
        // A UDP socket that never echoes: the probe would wait its whole timeout.
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        const double timeout = 40;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var check = AgentProcess.RunAgentAsync(dir.Path, "check", $"udp-echo:127.0.0.1:{Port(sink)}",
            "--from", "second", "--timeout", timeout.ToString(CultureInfo.InvariantCulture), "--json", "--api", first.Api);
        // The second node is probing (its first datagram arrived) when it is killed.
        using var wait = new CancellationTokenSource(TestTime.Seconds(30));
        await sink.ReceiveFromAsync(new byte[2048], new IPEndPoint(IPAddress.Any, 0), wait.Token);
        second.Process.Signal(9);
        await second.Process.WaitForExitAsync();
        await second.DisposeAsync();

        var (code, stdout, stderr) = await check;
        Assert.True(code == 1, $"exit {code}: {stderr}");
        var results = JsonNode.Parse(stdout)!["results"]!.AsArray();
        var unreachable = Assert.Single(results)!["error"]!;
        Assert.Equal("NodeUnreachable", unreachable["error"]!.GetValue<string>());
        Assert.Contains("became unreachable during the check", unreachable["strerror"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed.TotalSeconds < timeout, $"the check took {clock.Elapsed.TotalSeconds:0.0} s, the probe's timeout is {timeout} s");
    }

    [Fact]
    public async Task ContinuousChecks_LatestFromEveryMemberWithHistory_AndInTheMetrics()
    {
        using var dir = new TempDirectory();
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var config = Path.Combine(dir.Path, "checks.json");
        await File.WriteAllTextAsync(config, $$"""
            {"checks": [
              {"name": "core", "interval": "00:00:01", "targets": ["dns:localhost", "tcp:127.0.0.1:{{Port(closed)}}"], "timeout": "00:00:02"},
              {"name": "eu-only", "interval": "00:00:01", "from": ["zone=eu"], "targets": ["dns:127.0.0.1"]}
            ]}
            """);
        await using var first = await RunningNode.StartAsync(dir, "first", "--config", config);
        await using var second = await RunningNode.StartAsync(dir, "second", "--config", config, "--seed", first.Remote, "--label", "zone=eu");
        await WaitForMembersAsync(first.Api, AllUp(2));
        using var http = new HttpClient { BaseAddress = new Uri($"http://{first.Api}/") };

        // Every cell of every member, with at least two results in its history.
        JsonNode latest = null!;
        using var deadline = new CancellationTokenSource(TestTime.Seconds(30));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await WaitTick(tick, deadline.Token))
        {
            latest = JsonNode.Parse(await http.GetStringAsync("api/checks/latest"))!;
            var results = latest["results"]!.AsArray();
            if (results.Count == 5 && results.All(r => r!["history"]!["samples"]!.GetValue<int>() >= 2))
            {
                break;
            }
        }
        Assert.Equal(["first", "second"], Strings(latest["nodes"]));
        var cells = latest["results"]!.AsArray().Select(r => r!).ToList();
        Assert.Equal(5, cells.Count);
        Assert.Equal(["first", "first", "second", "second", "second"], cells.Select(c => c["node"]!.GetValue<string>()));
        var refused = cells.Where(c => c["target"]!.GetValue<string>().StartsWith("tcp:", StringComparison.Ordinal)).ToList();
        Assert.All(refused, c =>
        {
            Assert.Equal("ConnectionRefusedError", c["error"]!["error"]!.GetValue<string>());
            Assert.Equal(0, c["history"]!["success_ratio"]!.GetValue<double>());
            Assert.Null(c["history"]!["p50_ms"]);
        });
        var resolved = cells.Where(c => c["target"]!.GetValue<string>() == "dns:localhost").ToList();
        Assert.All(resolved, c =>
        {
            Assert.Equal("core", c["check"]!.GetValue<string>());
            Assert.Equal(1, c["history"]!["success_ratio"]!.GetValue<double>());
            Assert.True(c["history"]!["p50_ms"]!.GetValue<double>() <= c["history"]!["p99_ms"]!.GetValue<double>());
        });
        Assert.Equal("eu-only", Assert.Single(cells, c => c["target"]!.GetValue<string>() == "dns:127.0.0.1")["check"]!.GetValue<string>());

        var metrics = await new HttpClient { BaseAddress = new Uri($"http://{second.Api}/") }.GetStringAsync("metrics");
        Assert.Contains("probe_success{node=\"second\",target=\"dns:localhost\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"probe_success{{node=\"second\",target=\"tcp:127.0.0.1:{Port(closed)}\"}} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("probe_dns_lookup_time_seconds{node=\"second\",target=\"dns:127.0.0.1\"}", metrics, StringComparison.Ordinal);
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(item => item!.GetValue<string>())];

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("api/checks", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
