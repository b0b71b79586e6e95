using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;

namespace Agent.Tests.Node;

/// <summary>What the tests of real <c>agent run</c> clusters share: nodes started and read from their stdout, and waits on the API.</summary>
public static class ClusterTestKit
{
    /// <summary>A loopback TCP port free a moment ago.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Membership converges over gossip: asks the API until the members are as expected, within a dilated deadline.</summary>
    public static async Task<IReadOnlyList<JsonNode>> WaitForMembersAsync(string api, Func<IReadOnlyList<JsonNode>, bool> expected, double seconds = 30)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{api}/") };
        using var deadline = new CancellationTokenSource(TestBed.Dilated(seconds));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        IReadOnlyList<JsonNode> members = [];
        do
        {
            var body = JsonNode.Parse(await http.GetStringAsync("api/nodes", deadline.Token))!;
            members = [.. body["members"]!.AsArray().Select(m => m!)];
            if (expected(members))
            {
                return members;
            }
        }
        while (await WaitTick(tick, deadline.Token));
        throw new Xunit.Sdk.XunitException($"members never as expected; last: {string.Join(", ", members.Select(m => m.ToJsonString()))}");
    }

    /// <summary>Asks <c>/health/ready</c> until the body is as expected, within a dilated deadline.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode Body)> WaitForReadinessAsync(HttpClient http, Func<JsonNode, bool> expected)
    {
        using var deadline = new CancellationTokenSource(TestBed.Dilated(30));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        JsonNode? body = null;
        do
        {
            using var response = await http.GetAsync("health/ready", deadline.Token);
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync(deadline.Token))!;
            if (expected(body))
            {
                return (response.StatusCode, body);
            }
        }
        while (await WaitTick(tick, deadline.Token));
        throw new Xunit.Sdk.XunitException($"readiness never as expected; last: {body?.ToJsonString()}");
    }

    /// <summary>Waits for the next tick; false once the deadline passed.</summary>
    public static async Task<bool> WaitTick(PeriodicTimer tick, CancellationToken deadline)
    {
        try
        {
            return await tick.WaitForNextTickAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends what <paramref name="send"/> writes to the remoting port; the node must close the connection without answering a byte.</summary>
    public static async Task AssertClosedUnansweredAsync(int port, Func<NetworkStream, Task> send)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await send(stream);
        using var deadline = new CancellationTokenSource(TestBed.Dilated(20));
        var buffer = new byte[4096];
        int read;
        try
        {
            read = await stream.ReadAsync(buffer, deadline.Token);
        }
        catch (IOException)
        {
            read = 0;
        }
        Assert.Equal(0, read);
    }

    /// <summary>The condition of exactly <paramref name="count"/> members, every one Up.</summary>
    public static Func<IReadOnlyList<JsonNode>, bool> AllUp(int count) =>
        list => list.Count == count && list.All(m => m["status"]!.GetValue<string>() == "Up");

    /// <summary>An <c>agent run</c> that has joined its cluster: its remoting and API addresses read from its stdout.</summary>
    public sealed class RunningNode : IAsyncDisposable
    {
        private RunningNode(AgentProcess process, string remote, string api)
        {
            Process = process;
            Remote = remote;
            Api = api;
        }

        public AgentProcess Process { get; }

        /// <summary><c>HOST:PORT</c> of its remoting (<c>127.0.0.1:PORT</c> unless the test chose another).</summary>
        public string Remote { get; }

        /// <summary><c>127.0.0.1:PORT</c> of its API.</summary>
        public string Api { get; }

        public static async Task<RunningNode> StartAsync(TempDirectory dir, string name, params string[] args) =>
            await StartAsync(dir, name, null, args);

        public static async Task<RunningNode> StartAsync(TempDirectory dir, string name, IReadOnlyDictionary<string, string>? environment, params string[] args)
        {
            var process = AgentProcess.StartAgent(dir.Path, environment ?? new Dictionary<string, string>(),
                ["run", "--name", name, "--echo", "tcp:127.0.0.1:0", .. args]);
            try
            {
                // The API's line and the membership line come in either order.
                bool Api(string line) => line.StartsWith("listening api ", StringComparison.Ordinal);
                var lines = new List<string>();
                for (var i = 0; i < 2; i++)
                {
                    lines.Add(await process.ExpectLineAsync(l => Api(l) || l.StartsWith($"member {name} up at akka.tcp://agent@", StringComparison.Ordinal)
                        || l.StartsWith($"member {name} up at akka.ssl.tcp://agent@", StringComparison.Ordinal), 60));
                }
                var up = lines.Single(l => !Api(l));
                return new RunningNode(process, up[(up.IndexOf('@', StringComparison.Ordinal) + 1)..], lines.Single(Api)["listening api ".Length..]);
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }

        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
