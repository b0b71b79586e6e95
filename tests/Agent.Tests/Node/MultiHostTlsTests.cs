using System.Text.Json.Nodes;
using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;

namespace Agent.Tests.Node;

/// <summary>
/// DESIGN.md "Real multi-host": three <c>agent run</c> nodes, one per host of the namespace LAN, each bound to its LAN
/// address (not loopback, so TLS is required) and joined through host 1 over mutual TLS. Each host has its own
/// loopback, so every node's API is 127.0.0.1:9180 on its host, reached with <c>agent nodes</c> run there.
/// </summary>
public sealed class MultiHostTlsTests
{
    private const int RemotePort = 4053;
    private const string Api = "127.0.0.1:9180";

    /// <summary>
    /// The cut is kept short on purpose: the split-brain resolver (keep-oldest) downs a member unreachable for its
    /// stable-after (20 s), so the link is healed as soon as host 1 sees host 3 unreachable, and host 3 must come back
    /// as the same Up member, not be downed.
    /// </summary>
    [LanTestBedFact]
    public async Task ThreeHostsOverTls_AllUp_ACutHostIsUnreachableThenReachableAgain()
    {
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        await using var lan = await LanBed.UpAsync(3);
        var ip = TestBed.Tool("ip");
        var nodes = new List<AgentProcess>();
        try
        {
            for (var host = 1; host <= 3; host++)
            {
                var certificate = ca.Issue($"host{host}", LanBed.Address(host));
                string[] seed = host == 1 ? [] : ["--seed", $"{LanBed.Address(1)}:{RemotePort}"];
                nodes.Add(AgentProcess.Start(ip, dir.Path, lan.On(host, [AgentProcess.DotnetHost, AgentProcess.AgentDll, "run", "--name", $"host{host}",
                    "--remote", $"{LanBed.Address(host)}:{RemotePort}", "--api", Api, "--echo", "tcp:127.0.0.1:0",
                    .. certificate.RunOptions(ca.CertificatePath), .. seed])));
                if (host == 1)
                {
                    await ExpectUpAsync(nodes[0], 1);
                }
            }
            await ExpectUpAsync(nodes[1], 2);
            await ExpectUpAsync(nodes[2], 3);
            var members = await WaitForNodesAsync(lan, dir, 1, list => list.Count == 3 && list.All(m => Status(m) == "Up" && Reachable(m)));
            Assert.Equal(Enumerable.Range(1, 3).Select(host => $"akka.ssl.tcp://agent@{LanBed.Address(host)}:{RemotePort}"), members.Select(m => m["address"]!.GetValue<string>()));

            await lan.CutAsync(3);
            await WaitForNodesAsync(lan, dir, 1, list => list.Any(m => Name(m) == "host3" && !Reachable(m)));
            // A request to every member: the cut host answers NodeUnreachable at once, the others as usual.
            var (code, stdout, stderr) = await AgentProcess.RunAsync(ip, dir.Path,
                lan.On(1, AgentProcess.DotnetHost, AgentProcess.AgentDll, "lookup", "servbyname", "http", "tcp", "--on", "all", "--json", "--api", Api));
            Assert.True(code == 1, $"exit {code}: {stdout}{stderr}");
            var byNode = JsonNode.Parse(stdout)!;
            Assert.Equal(80, byNode["host1"]!.GetValue<int>());
            Assert.Equal(80, byNode["host2"]!.GetValue<int>());
            Assert.Equal("NodeUnreachable", byNode["host3"]!["error"]!.GetValue<string>());
            await lan.HealAsync(3);

            await WaitForNodesAsync(lan, dir, 1, list => list.Count == 3 && list.All(m => Status(m) == "Up" && Reachable(m)));
            await WaitForNodesAsync(lan, dir, 3, list => list.Count == 3 && list.All(m => Status(m) == "Up" && Reachable(m)));
            Assert.False(nodes[2].HasExited, $"host3 stopped:\n{nodes[2].Stderr}");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static string Name(JsonNode member) => member["name"]!.GetValue<string>();

    private static string Status(JsonNode member) => member["status"]!.GetValue<string>();

    private static bool Reachable(JsonNode member) => member["reachable"]!.GetValue<bool>();

    private static Task<string> ExpectUpAsync(AgentProcess node, int host) =>
        node.ExpectLineAsync(line => line == $"member host{host} up at akka.ssl.tcp://agent@{LanBed.Address(host)}:{RemotePort}", 60);

    // Asks host `host`'s node for its members (agent nodes, run on that host) until they are as expected.
    private static async Task<IReadOnlyList<JsonNode>> WaitForNodesAsync(LanBed lan, TempDirectory dir, int host, Func<IReadOnlyList<JsonNode>, bool> expected)
    {
        using var deadline = new CancellationTokenSource(TestBed.Dilated(40));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        IReadOnlyList<JsonNode> members = [];
        var last = "";
        do
        {
            var (code, stdout, stderr) = await AgentProcess.RunAsync(TestBed.Tool("ip"), dir.Path,
                lan.On(host, AgentProcess.DotnetHost, AgentProcess.AgentDll, "nodes", "--api", Api, "--json"));
            last = code == 0 ? stdout : stderr;
            if (code == 0)
            {
                members = [.. JsonNode.Parse(stdout)!["members"]!.AsArray().Select(m => m!)];
                if (expected(members))
                {
                    return members;
                }
            }
        }
        while (await ClusterTestKit.WaitTick(tick, deadline.Token));
        throw new Xunit.Sdk.XunitException($"host{host}'s members never as expected; last answer: {last}");
    }
}
