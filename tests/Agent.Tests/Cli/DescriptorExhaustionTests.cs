using Agent.TestSupport;
using System.Net;
using System.Net.Sockets;
using Agent.Tests.Testbeds;
using Xunit;

namespace Agent.Tests.Cli;

public sealed class DescriptorExhaustionTests
{
    [TestBedFact("bash")]
    public async Task Listener_UnderLowUlimit_BacksOffOnceAndRecoversWhenDescriptorsFree()
    {
        using var dir = new TempDirectory();
        // The runtime holds two descriptors per loaded assembly: an idle node on Akka.NET and the Generic Host
        // uses about 200, so 256 leaves room for a few dozen connections and the 120 clients below exhaust it.
        var command = $"ulimit -n 256 && exec \"{AgentProcess.DotnetHost}\" \"{AgentProcess.AgentDll}\" run --echo tcp:127.0.0.1:0";
        await using var node = AgentProcess.Start(TestBed.Tool("bash"), dir.Path, ["-c", command]);
        var line = await node.ExpectLineAsync(l => l.StartsWith("listening tcp", StringComparison.Ordinal));
        var endpoint = new IPEndPoint(IPAddress.Loopback, int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

        // More clients than the node has descriptors: the kernel completes the handshakes (backlog),
        // the node's accept fails with EMFILE.
        var clients = new List<Socket>();
        for (var i = 0; i < 120; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(endpoint);
            clients.Add(client);
        }
        var warning = await node.ExpectStderrAsync("Too many open files");
        Assert.Contains("backing off", warning, StringComparison.Ordinal);

        clients.ForEach(c => c.Dispose());
        await node.ExpectStderrAsync("again after");
        // Once per episode: the backlog may start a second episode, but two warnings never come
        // without an "accepting again" between them.
        var events = node.Stderr.Split('\n')
            .Where(l => l.Contains("backing off", StringComparison.Ordinal) || l.Contains("again after", StringComparison.Ordinal))
            .Select(l => l.Contains("backing off", StringComparison.Ordinal) ? 'W' : 'A')
            .ToArray();
        Assert.DoesNotContain("WW", new string(events), StringComparison.Ordinal);

        using var deadline = new CancellationTokenSource(TestBed.Dilated(20));
        using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await fresh.ConnectAsync(endpoint, deadline.Token);
        await fresh.SendAsync("alive"u8.ToArray(), deadline.Token);
        var buffer = new byte[5];
        var read = 0;
        while (read < 5)
        {
            var n = await fresh.ReceiveAsync(buffer.AsMemory(read), deadline.Token);
            Assert.NotEqual(0, n);
            read += n;
        }
        Assert.Equal("alive"u8.ToArray(), buffer);
        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
    }
}
