using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;
using static Agent.Tests.Node.ClusterTestKit;

namespace Agent.Tests.Node;

/// <summary>Real <c>agent run</c> processes forming a cluster on loopback, and the API and <c>agent nodes</c> in front of them.</summary>
public sealed class ClusterNodeTests
{
    private const string Token = "test-token-0123456789";

    [Fact]
    public async Task TwoNodes_SecondJoinsThroughTheFirst_BothUpThenTheLeaverIsRemoved()
    {
        using var dir = new TempDirectory();
        await using var first = await RunningNode.StartAsync(dir, "first", "--label", "zone=eu");
        await using var second = await RunningNode.StartAsync(dir, "second", "--seed", first.Remote);

        var members = await WaitForMembersAsync(first.Api, AllUp(2));
        Assert.Equal(["first", "second"], members.Select(m => m["name"]!.GetValue<string>()));
        Assert.Equal($"akka.tcp://agent@{second.Remote}", members[1]["address"]!.GetValue<string>());
        Assert.Equal("eu", members[0]["labels"]!["zone"]!.GetValue<string>());
        Assert.True(members.All(m => m["reachable"]!.GetValue<bool>()));
        var text = await AgentProcess.RunAgentAsync(dir.Path, "nodes", "--api", second.Api);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains(text.Stdout.Split('\n'), line => line.Contains("second *", StringComparison.Ordinal) && line.Contains("Up", StringComparison.Ordinal));

        // SIGTERM: a graceful leave, so the first sees it removed, never unreachable.
        second.Process.Terminate();
        Assert.Equal(0, await second.Process.WaitForExitAsync());
        var left = await WaitForMembersAsync(first.Api, list => list.Count == 1);
        Assert.Equal("first", left[0]["name"]!.GetValue<string>());
        Assert.Contains($"Leader is removing confirmed Exiting node [akka.tcp://agent@{second.Remote}]", first.Process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondMemberWithATakenName_LeavesAndExitsOne_TheFirstKeepsIt()
    {
        using var dir = new TempDirectory();
        await using var first = await RunningNode.StartAsync(dir, "edge");
        await using var twin = AgentProcess.StartAgent(dir.Path, "run", "--name", "edge", "--seed", first.Remote, "--echo", "tcp:127.0.0.1:0");

        Assert.Equal(1, await twin.WaitForExitAsync(30));
        var line = twin.Stderr.Split('\n').Single(l => l.StartsWith("agent: ", StringComparison.Ordinal));
        Assert.Matches($@"^agent: the node name 'edge' is taken by akka\.tcp://agent@{first.Remote.Replace(".", @"\.", StringComparison.Ordinal)}; this node \(akka\.tcp://agent@127\.0\.0\.1:[0-9]+\) leaves the cluster$", line);
        var members = await WaitForMembersAsync(first.Api, list => list.Count == 1);
        Assert.Equal($"akka.tcp://agent@{first.Remote}", members[0]["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task SeedNotUpYet_NodeKeepsTryingAndJoinsOnceItIs()
    {
        using var dir = new TempDirectory();
        var seedPort = FreePort();
        await using var late = AgentProcess.StartAgent(dir.Path, "run", "--name", "late", "--seed", $"127.0.0.1:{seedPort}", "--echo", "tcp:127.0.0.1:0");
        var lateApi = (await late.ExpectLineAsync(l => l.StartsWith("listening api ", StringComparison.Ordinal)))["listening api ".Length..];
        await late.ExpectStderrAsync("Couldn't join seed nodes", 40);
        Assert.False(late.HasExited);
        // Not a member yet: nobody to ask is a failure, not an empty success.
        var lonely = await AgentProcess.RunAgentAsync(dir.Path, "lookup", "servbyname", "http", "--on", "all", "--api", lateApi);
        Assert.Equal(1, lonely.ExitCode);
        Assert.Contains("has not joined a cluster yet", lonely.Stderr, StringComparison.Ordinal);

        await using var seed = await RunningNode.StartAsync(dir, "seed", "--remote", $"127.0.0.1:{seedPort}");
        await late.ExpectLineAsync(l => l.StartsWith("member late up at ", StringComparison.Ordinal), 60);
        await WaitForMembersAsync(seed.Api, AllUp(2));
    }

    [Fact]
    public async Task RemotePortTaken_ExitsOneInOneLine()
    {
        using var dir = new TempDirectory();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "run", "--remote", $"127.0.0.1:{port}", "--echo", "tcp:127.0.0.1:0");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        // Akka logs the failed bind (and its remoting's shutdown, which may still be under way); the verdict is one line.
        Assert.Equal($"agent: remote 127.0.0.1:{port}: [Errno 98] Address already in use",
            Assert.Single(stderr.Split('\n'), line => line.StartsWith("agent: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ApiWithAToken_RequestWithoutTheRightOne401_NodesWithIt()
    {
        using var dir = new TempDirectory();
        await using var node = await RunningNode.StartAsync(dir, "guarded", environment: new Dictionary<string, string> { ["AGENT_API__TOKEN"] = Token });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Api}/") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/nodes")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("health/live")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/nodes")).StatusCode);

        var refused = await AgentProcess.RunAgentAsync(dir.Path, "nodes", "--api", node.Api);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"agent: the node at {node.Api} refused the request: it needs its token in AGENT_API__TOKEN", refused.Stderr.Trim());
        var allowed = await AgentProcess.RunAsync(AgentProcess.DotnetHost, dir.Path, [AgentProcess.AgentDll, "nodes", "--api", node.Api, "--json"],
            environment: new Dictionary<string, string> { ["AGENT_API__TOKEN"] = Token });
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("guarded", JsonNode.Parse(allowed.Stdout)!["self"]!.GetValue<string>());
    }

    /// <summary>A page in the user's browser must not drive the node (and through it the fleet) over its loopback API.</summary>
    [Fact]
    public async Task Api_RequestsFromWebPagesOrRebindingNames_Refused()
    {
        using var dir = new TempDirectory();
        await using var node = await RunningNode.StartAsync(dir, "home");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Api}/") };
        const string Body = """{"on": "all", "request": {"function": "aton", "argument": "127.1", "family": null}}""";

        using var fromPage = new HttpRequestMessage(HttpMethod.Post, "api/requests/addr") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        fromPage.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(fromPage)).StatusCode);

        using var rebound = new HttpRequestMessage(HttpMethod.Post, "api/requests/addr") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        rebound.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebound)).StatusCode);

        // A form post needs no preflight in a browser: only JSON is taken.
        using var form = new HttpRequestMessage(HttpMethod.Post, "api/requests/addr") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "text/plain") };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.SendAsync(form)).StatusCode);

        using var plain = new HttpRequestMessage(HttpMethod.Post, "api/requests/addr") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(plain)).StatusCode);
    }

    /// <summary>
    /// Bad bytes on the plain remoting port (loopback): a frame announcing far more than <c>maximum-frame-size</c>, random
    /// bytes, a frame cut short and held: each connection is dropped or left alone, and the node serves everyone else.
    /// </summary>
    [Fact]
    public async Task BadBytesOnTheRemotingPort_ConnectionDropped_TheNodeKeepsServing()
    {
        using var dir = new TempDirectory();
        await using var first = await RunningNode.StartAsync(dir, "first");
        await using var second = await RunningNode.StartAsync(dir, "second", "--seed", first.Remote);
        await WaitForMembersAsync(first.Api, AllUp(2));
        var port = int.Parse(first.Remote.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        using var cutShort = new TcpClient();
        await cutShort.ConnectAsync(IPAddress.Loopback, port);
        await cutShort.GetStream().WriteAsync(new byte[] { 0, 0, 0, 100, 1, 2, 3 });

        await AssertClosedUnansweredAsync(port, stream => stream.WriteAsync(new byte[] { 0x7F, 0xFF, 0xFF, 0xF0, 1, 2, 3, 4 }).AsTask());
        await AssertClosedUnansweredAsync(port, stream => stream.WriteAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096)).AsTask());

        var members = await WaitForMembersAsync(first.Api, list => list.Count == 2 && list.All(m => m["status"]!.GetValue<string>() == "Up" && m["reachable"]!.GetValue<bool>()));
        Assert.Equal(2, members.Count);
        var served = await AgentProcess.RunAgentAsync(dir.Path, "lookup", "servbyname", "http", "--on", "all", "--api", second.Api);
        Assert.Equal(0, served.ExitCode);
        await using var third = await RunningNode.StartAsync(dir, "third", "--seed", first.Remote);
        await WaitForMembersAsync(first.Api, list => list.Count == 3);
    }

    [Fact]
    public async Task Nodes_NoNodeAtTheAddress_ExitsOneSayingWhereAndHow()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "nodes", "--api", $"127.0.0.1:{port}");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"agent: no node answers at 127.0.0.1:{port} (connection refused); start one with 'agent run', or point --api at a running node's API", stderr.Trim());
    }

    /// <summary>Issue 8: a node whose configured service is retrying (its port taken) is not ready, and says why; it is once the service binds.</summary>
    [Fact]
    public async Task Ready_ServiceRetryingOnATakenPort_503NamingItThenReadyOnceBound()
    {
        using var dir = new TempDirectory();
        var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--name", "busy", "--echo", $"tcp:127.0.0.1:{port}");
        var api = (await node.ExpectLineAsync(l => l.StartsWith("listening api ", StringComparison.Ordinal)))["listening api ".Length..];
        using var http = new HttpClient { BaseAddress = new Uri($"http://{api}/") };

        var notReady = await WaitForReadinessAsync(http, body => body["services"]![0]!["state"]!.GetValue<string>() == "retrying");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.False(notReady.Body["ready"]!.GetValue<bool>());
        Assert.Contains("Address already in use", notReady.Body["services"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);

        taken.Dispose();
        var ready = await WaitForReadinessAsync(http, body => body["ready"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal($"tcp:127.0.0.1:{port}", ready.Body["services"]![0]!["local"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnAll_EachCommand_OneResultPerNodeExactlyAsTheCommandPrintsLocally()
    {
        using var dir = new TempDirectory();
        await using var first = await RunningNode.StartAsync(dir, "first");
        await using var second = await RunningNode.StartAsync(dir, "second", "--seed", first.Remote, "--label", "zone=eu");
        await WaitForMembersAsync(first.Api, AllUp(2));
        var echo = first.Process.Stdout.Split('\n').Single(l => l.StartsWith("listening tcp ", StringComparison.Ordinal))["listening tcp ".Length..];
        // Bound but not listening: refused for as long as the test holds it, and no one else can take the port.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = ((IPEndPoint)closed.LocalEndPoint!).Port;
        string[][] commands =
        [
            ["resolve", "localhost", "80", "--type", "stream"],
            ["lookup", "hostbyname", "no-such-host.invalid"],
            ["lookup", "servbyname", "http", "tcp"],
            ["addr", "aton", "127.1"],
            ["addr", "ntoa", "zz"],
            ["echo", $"tcp:{echo}", "over the fleet"],
            ["connect", "127.0.0.1", closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        ];
        foreach (var command in commands)
        {
            var local = await AgentProcess.RunAgentAsync(dir.Path, [.. command, "--json"]);
            var remote = await AgentProcess.RunAgentAsync(dir.Path, [.. command, "--json", "--on", "all", "--api", second.Api]);
            Assert.True(local.ExitCode == remote.ExitCode, $"{string.Join(' ', command)}: exit {local.ExitCode} here, {remote.ExitCode} with --on; {remote.Stderr}");
            if (local.ExitCode == 2)
            {
                // Refused arguments are refused before any node runs them, in the same words.
                Assert.Equal("", remote.Stdout);
                Assert.Equal(local.Stderr.Trim(), remote.Stderr.Trim());
                continue;
            }
            var byNode = JsonNode.Parse(remote.Stdout)!.AsObject();
            Assert.Equal(["first", "second"], byNode.Select(pair => pair.Key));
            foreach (var (node, value) in byNode)
            {
                // Timings differ from run to run; everything else is what the command prints here.
                Assert.Equal(WithoutTimings(JsonNode.Parse(local.Stdout.Trim().Split('\n')[^1])!), WithoutTimings(value!));
            }
        }

        var labelled = await AgentProcess.RunAgentAsync(dir.Path, "addr", "aton", "127.1", "--json", "--on", "zone=eu", "--api", first.Api);
        Assert.Equal(0, labelled.ExitCode);
        Assert.Equal("""{"second":"7f000001"}""", labelled.Stdout.Trim());

        var text = await AgentProcess.RunAgentAsync(dir.Path, "lookup", "servbyname", "http", "tcp", "--on", "second,first", "--api", first.Api);
        Assert.Equal(0, text.ExitCode);
        // Named nodes answer in the order named; `all` in the members' order.
        Assert.Equal(["== second ==", "80", "== first ==", "80"], text.Stdout.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task On_UnknownNodeOrBadName_ExitsTwoNamingIt()
    {
        using var dir = new TempDirectory();
        await using var node = await RunningNode.StartAsync(dir, "only");
        var unknown = await AgentProcess.RunAgentAsync(dir.Path, "resolve", "localhost", "--on", "only,ghost", "--api", node.Api);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("agent: unknown node 'ghost' (members: only)", unknown.Stderr.Trim());
        var bad = await AgentProcess.RunAgentAsync(dir.Path, "resolve", "localhost", "--on", "no spaces", "--api", node.Api);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("agent: --on: 'no spaces' is neither a node name", bad.Stderr.Trim(), StringComparison.Ordinal);
        var noLabel = await AgentProcess.RunAgentAsync(dir.Path, "resolve", "localhost", "--on", "zone=mars", "--api", node.Api);
        Assert.Equal(2, noLabel.ExitCode);
        Assert.Equal("agent: no member has the label zone=mars", noLabel.Stderr.Trim());
        var refused = await AgentProcess.RunAgentAsync(dir.Path, "addr", "ntoa", "zz", "--on", "all", "--api", node.Api);
        Assert.Equal(2, refused.ExitCode);
    }

    [Fact]
    public async Task On_NoNodeAtTheApi_ExitsOneAtOnce()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "resolve", "localhost", "80", "--on", "all", "--api", $"127.0.0.1:{port}");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"agent: no node answers at 127.0.0.1:{port} (connection refused)", stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberKilled_RequestsAnswerNodeUnreachableWithinTheDeadline_RestartedItRejoins()
    {
        using var dir = new TempDirectory();
        await using var first = await RunningNode.StartAsync(dir, "first");
        var second = await RunningNode.StartAsync(dir, "second", "--seed", first.Remote);
        await WaitForMembersAsync(first.Api, AllUp(2));

        second.Process.Signal(9);
        await second.Process.WaitForExitAsync();
        await second.DisposeAsync();
        var (code, stdout, _) = await AgentProcess.RunAgentAsync(dir.Path, "resolve", "localhost", "80", "--json", "--timeout", "1", "--on", "all", "--api", first.Api);
        Assert.Equal(1, code);
        var byNode = JsonNode.Parse(stdout)!;
        Assert.Equal(JsonValueKind.Array, byNode["first"]!.GetValueKind());
        Assert.Equal("NodeUnreachable", byNode["second"]!["error"]!.GetValue<string>());
        Assert.StartsWith("second (akka.tcp://agent@", byNode["second"]!["strerror"]!.GetValue<string>(), StringComparison.Ordinal);

        // The failure detector notices (about 5-7 s); from then on the answer comes without waiting for the deadline.
        await WaitForMembersAsync(first.Api, list => list.Any(m => m["name"]!.GetValue<string>() == "second" && !m["reachable"]!.GetValue<bool>()));
        var quick = await AgentProcess.RunAgentAsync(dir.Path, "lookup", "servbyname", "http", "--json", "--timeout", "30", "--on", "second", "--api", first.Api);
        Assert.Contains("it is unreachable", quick.Stdout, StringComparison.Ordinal);
        // 20 s after that (stable-after), the split-brain resolver downs it and it is removed.
        await WaitForMembersAsync(first.Api, list => list.Count == 1, 90);
        Assert.Contains($"and is downing [akka.tcp://agent@{second.Remote}]", first.Process.Stderr, StringComparison.Ordinal);

        await using var again = await RunningNode.StartAsync(dir, "second", "--seed", first.Remote, "--remote", second.Remote);
        await WaitForMembersAsync(first.Api, list => list.Count == 2 && list.All(m => m["status"]!.GetValue<string>() == "Up" && m["reachable"]!.GetValue<bool>()));
        var healed = await AgentProcess.RunAgentAsync(dir.Path, "lookup", "servbyname", "http", "--on", "all", "--api", first.Api);
        Assert.Equal(0, healed.ExitCode);
    }

    // Round-trip and attempt times are measurements, not results: zeroed for comparison.
    private static string WithoutTimings(JsonNode node)
    {
        var copy = node.DeepClone();
        Zero(copy);
        return copy.ToJsonString();

        static void Zero(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                    {
                        if (key is "rtt_ms" or "started_ms" or "elapsed_ms")
                        {
                            o[key] = 0;
                        }
                        else if (key == "local")
                        {
                            o[key] = null;
                        }
                        else
                        {
                            Zero(o[key]);
                        }
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Zero(item);
                    }
                    break;
            }
        }
    }
}
