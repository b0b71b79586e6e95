using System.Net;
using System.Net.Sockets;
using Agent.Actors.Io;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

public sealed class HappyEyeballsTests(ITestOutputHelper output) : IoTestBase(output)
{
    private sealed class FixedResolver(params IPAddress[] addresses) : IAddressResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IPAddress>>(addresses);
    }

    [Fact]
    public void Interleave_AlternatesFamiliesStartingWithTheFirst()
    {
        var v6a = IPAddress.Parse("::1");
        var v6b = IPAddress.Parse("::2");
        var v4a = IPAddress.Parse("127.0.0.1");
        var v4b = IPAddress.Parse("127.0.0.2");
        Assert.Equal([v6a, v4a, v6b, v4b], HappyEyeballs.Interleave([v6a, v6b, v4a, v4b]));
        Assert.Equal([v4a, v6a, v4b], HappyEyeballs.Interleave([v4a, v4b, v6a]));
    }

    [Fact]
    public async Task Race_UnresponsiveFirstCandidate_SecondStartsAfterTheDelayAndWins()
    {
        using var listener = TcpPeer.Listen(out var port);
        var silent = IPAddress.Parse("::1");
        var result = await HappyEyeballs.RaceAsync([silent, IPAddress.Loopback], port, TimeSpan.FromMilliseconds(50),
            async (target, token) =>
            {
                if (target.Address.Equals(silent))
                {
                    // An unresponsive host: nothing happens until the race cancels the attempt.
                    await Task.Delay(Timeout.Infinite, token);
                }
                return await HappyEyeballs.ConnectOneAsync(target, null, token);
            }, CancellationToken.None);
        using var winner = result.Socket;
        Assert.NotNull(winner);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)winner.RemoteEndPoint!).Address);
        Assert.Equal(["cancelled", "connected"], result.Attempts.Select(a => a.Outcome));
        Assert.True(result.Attempts[1].StartedMs >= 40, $"second attempt started at {result.Attempts[1].StartedMs} ms");
    }

    [Fact]
    public async Task CreateConnection_RefusedV6ThenListeningV4_ReportsBothAttempts()
    {
        using var listener = TcpPeer.Listen(out var port);
        var io = Sys.ActorOf(IoManager.Props(resolver: new FixedResolver(IPAddress.IPv6Loopback, IPAddress.Loopback)));
        var client = CreateTestProbe();
        // The v4 attempt must wait for the ::1 refusal, not for the attempt delay.
        io.Tell(new SockStream.CreateConnection("localhost", port,
            Timeout: Dilated(TimeSpan.FromSeconds(5)), AttemptDelay: Dilated(TimeSpan.FromSeconds(10))), client.Ref);
        var connected = await client.ExpectMsgAsync<SockStream.Connected>();
        var connection = client.LastSender;
        Assert.Equal("AF_INET", connected.Socket.Family);
        Assert.Equal($"tcp:127.0.0.1:{port}", connected.RemoteAddress.ToString());
        Assert.Equal(2, connected.Attempts!.Count);
        Assert.Equal("ConnectionRefusedError: [Errno 111] Connection refused", connected.Attempts[0].Outcome);
        Assert.Equal("connected", connected.Attempts[1].Outcome);
        connection.Tell(SockStream.Register.Instance, client.Ref);
        connection.Tell(SockStream.Close.Instance, client.Ref);
        await client.ExpectMsgAsync<SockStream.Closed>();
    }

    [Fact]
    public async Task CreateConnection_AllRefused_IsCommandFailedWithEveryAttempt()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var io = Sys.ActorOf(IoManager.Props(resolver: new FixedResolver(IPAddress.Loopback)));
        var client = CreateTestProbe();
        var command = new SockStream.CreateConnection("localhost", port);
        io.Tell(command, client.Ref);
        var failed = await client.ExpectMsgAsync<SockStream.CommandFailed>();
        Assert.Equal(command, failed.Cmd);
        Assert.Equal("ConnectionRefusedError: [Errno 111] Connection refused", failed.Cause.ToString());
        Assert.Single(failed.Attempts!);
    }

    [Fact]
    public async Task CreateConnection_ThroughTheResolverActor_ConnectsToLocalhost()
    {
        using var listener = TcpPeer.Listen(out var port);
        var resolver = Sys.ActorOf(Agent.Actors.Resolution.ResolverActor.Props());
        var io = Sys.ActorOf(IoManager.Props(resolver: new ResolverActorAddressResolver(resolver)));
        var client = CreateTestProbe();
        // Each attempt before 127.0.0.1 must end in its refusal, not be overtaken after the attempt delay.
        io.Tell(new SockStream.CreateConnection("localhost", port,
            Timeout: Dilated(TimeSpan.FromSeconds(10)), AttemptDelay: Dilated(TimeSpan.FromSeconds(10))), client.Ref);
        var connected = await client.ExpectMsgAsync<SockStream.Connected>(TimeSpan.FromSeconds(15));
        Assert.Equal($"tcp:127.0.0.1:{port}", connected.RemoteAddress.ToString());
        // Whatever getaddrinfo listed before 127.0.0.1 (::1 on most hosts) was tried and refused, never skipped.
        Assert.Equal("connected", connected.Attempts![^1].Outcome);
        Assert.All(connected.Attempts.SkipLast(1), a => Assert.Equal(111, a.Error?.Errno));
    }
}
