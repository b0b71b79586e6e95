using System.Net;
using System.Net.Sockets;
using System.Text;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

public sealed class DatagramActorTests(ITestOutputHelper output) : IoTestBase(output)
{
    private async Task<(TestProbe Handler, IActorRef Endpoint, SockDgram.Bound Bound)> BindUdpAsync(string endpoint)
    {
        var handler = CreateTestProbe();
        Io.Tell(new SockDgram.Bind(Endpoint.Parse(endpoint)), handler.Ref);
        var bound = await handler.ExpectMsgAsync<SockDgram.Bound>();
        var actor = handler.LastSender;
        return (handler, actor, bound);
    }

    [Fact]
    public async Task SendAndReceive_PreservesDatagramBoundaries()
    {
        var (a, aRef, aBound) = await BindUdpAsync("udp:127.0.0.1:0");
        var (b, _, bBound) = await BindUdpAsync("udp:127.0.0.1:0");
        Assert.Equal(("AF_INET", "SOCK_DGRAM", 17), (aBound.Socket.Family, aBound.Socket.Type, aBound.Socket.Proto));
        aRef.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes("one"), bBound.LocalAddress, Ack: 1), a.Ref);
        aRef.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes("two!"), bBound.LocalAddress, Ack: 2), a.Ref);
        Assert.Equal(1, (await a.ExpectMsgAsync<SockDgram.SendAck>()).Ack);
        Assert.Equal(2, (await a.ExpectMsgAsync<SockDgram.SendAck>()).Ack);
        var first = (await b.ExpectMsgAsync<SockDgram.Received>());
        var second = (await b.ExpectMsgAsync<SockDgram.Received>());
        Assert.Equal(["one", "two!"], new[] { first, second }.Select(r => Encoding.ASCII.GetString(r.Data.Span)).Order().ToArray());
        Assert.Equal(aBound.LocalAddress, first.Sender);
    }

    [Fact]
    public async Task Send_ToAHostName_ResolvesOffTheTurnAndKeepsOrderPerTarget()
    {
        var (a, aRef, _) = await BindUdpAsync("udp:127.0.0.1:0");
        var (b, _, bBound) = await BindUdpAsync("udp:127.0.0.1:0");
        var byName = Endpoint.Parse($"udp:localhost:{bBound.LocalAddress.Port}");
        for (var i = 1; i <= 3; i++)
        {
            aRef.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes($"n{i}"), byName, Ack: i), a.Ref);
        }
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(i, (await a.ExpectMsgAsync<SockDgram.SendAck>()).Ack);
        }
        var texts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            texts.Add(Encoding.ASCII.GetString((await b.ExpectMsgAsync<SockDgram.Received>()).Data.Span));
        }
        Assert.Equal(["n1", "n2", "n3"], texts.Order().ToArray());
    }

    [Fact]
    public async Task Send_ToAnUnknownHostName_EveryWaitingSendFailsInPythonsWords()
    {
        var (a, aRef, _) = await BindUdpAsync("udp:127.0.0.1:0");
        var missing = Endpoint.Parse("udp:no-such-host.invalid:9");
        aRef.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes("x"), missing, Ack: 1), a.Ref);
        aRef.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes("y"), missing, Ack: 2), a.Ref);
        var first = await a.ExpectMsgAsync<SockDgram.CommandFailed>(TimeSpan.FromSeconds(10));
        var second = await a.ExpectMsgAsync<SockDgram.CommandFailed>(TimeSpan.FromSeconds(10));
        Assert.Equal("gaierror", first.Cause.Kind);
        Assert.Equal("gaierror", second.Cause.Kind);
    }

    [Fact]
    public async Task Send_OverIpv4Maximum_FailsBeforeAnySyscall()
    {
        var (a, aRef, aBound) = await BindUdpAsync("udp:127.0.0.1:0");
        var send = new SockDgram.Send(new byte[SockDgram.MaxIPv4Payload + 1], aBound.LocalAddress);
        aRef.Tell(send, a.Ref);
        var failed = await a.ExpectMsgAsync<SockDgram.CommandFailed>();
        Assert.Same(send, failed.Cmd);
        Assert.Equal(90, failed.Cause.Errno);
        Assert.Contains("at most 65507", failed.Cause.Strerror, StringComparison.Ordinal);
        // The largest legal datagram still goes through, to ourselves.
        aRef.Tell(new SockDgram.Send(new byte[SockDgram.MaxIPv4Payload], aBound.LocalAddress), a.Ref);
        Assert.Equal(SockDgram.MaxIPv4Payload, (await a.ExpectMsgAsync<SockDgram.Received>()).Data.Length);
    }

    [Fact]
    public async Task ConnectedUdp_ToClosedPort_ReportsConnectionRefused()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = ((IPEndPoint)holder.LocalEndPoint!).Port;
        holder.Dispose();
        var client = CreateTestProbe();
        Io.Tell(new SockDgram.Connect(Endpoint.Udp("127.0.0.1", closedPort)), client.Ref);
        await client.ExpectMsgAsync<SockDgram.Connected>();
        var endpoint = client.LastSender;
        endpoint.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes("anyone?")), client.Ref);
        var error = await client.ExpectMsgAsync<SockDgram.ErrorReceived>();
        Assert.Equal("ConnectionRefusedError: [Errno 111] Connection refused", error.Cause.ToString());
    }

    [Fact]
    public async Task UnixDatagram_ConnectedClient_GetsReplyAndServerNodeIsRemovedOnUnbind()
    {
        using var dir = new TempDirectory();
        var path = dir.File("uds_dgram");
        var (server, serverRef, bound) = await BindUdpAsync("unix-dgram:" + path);
        Assert.Equal(("AF_UNIX", "SOCK_DGRAM"), (bound.Socket.Family, bound.Socket.Type));
        var client = CreateTestProbe();
        Io.Tell(new SockDgram.Connect(Endpoint.UnixDgram(path)), client.Ref);
        await client.ExpectMsgAsync<SockDgram.Connected>();
        var clientRef = client.LastSender;
        clientRef.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes("ping")), client.Ref);
        var received = await server.ExpectMsgAsync<SockDgram.Received>();
        Assert.StartsWith("@agent-", received.Sender.Path, StringComparison.Ordinal);
        serverRef.Tell(new SockDgram.Send(Encoding.ASCII.GetBytes("pong"), received.Sender), server.Ref);
        Assert.Equal("pong", Encoding.ASCII.GetString((await client.ExpectMsgAsync<SockDgram.Received>()).Data.Span));
        serverRef.Tell(SockDgram.Unbind.Instance, server.Ref);
        await server.ExpectMsgAsync<SockDgram.Unbound>();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task UnixDatagram_OverSocketLimit_IsMessageTooLongBeforeSyscall()
    {
        using var dir = new TempDirectory();
        var (server, serverRef, bound) = await BindUdpAsync("unix-dgram:" + dir.File("d"));
        var send = new SockDgram.Send(new byte[8 * 1024 * 1024], bound.LocalAddress);
        serverRef.Tell(send, server.Ref);
        Assert.Equal(90, (await server.ExpectMsgAsync<SockDgram.CommandFailed>()).Cause.Errno);
    }
}
