using System.Net;
using System.Net.Sockets;
using System.Text;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

public sealed class TcpActorTests(ITestOutputHelper output) : IoTestBase(output)
{
    [Fact]
    public async Task Bind_Port0_ReportsTheRealPortAndPythonNames()
    {
        var (_, _, local) = await BindAsync();
        Assert.NotEqual(0, local.Port);
        Assert.StartsWith("tcp:127.0.0.1:", local.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_PortInUse_IsCommandFailedWithErrno98()
    {
        var (_, _, local) = await BindAsync();
        var second = CreateTestProbe();
        Io.Tell(new SockStream.Bind(local), second.Ref);
        var failed = await second.ExpectMsgAsync<SockStream.CommandFailed>();
        Assert.Equal("OSError: [Errno 98] Address already in use", failed.Cause.ToString());
        Assert.IsType<SockStream.Bind>(failed.Cmd);
    }

    [Fact]
    public async Task Connect_Refused_IsCommandFailedConnectionRefusedError()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var client = CreateTestProbe();
        var connect = new SockStream.Connect(SocketFactory.ToEndpoint(EndpointKind.Tcp, holder.LocalEndPoint));
        Io.Tell(connect, client.Ref);
        var failed = await client.ExpectMsgAsync<SockStream.CommandFailed>();
        Assert.Equal(connect, failed.Cmd);
        Assert.Equal("ConnectionRefusedError: [Errno 111] Connection refused", failed.Cause.ToString());
    }

    [Fact]
    public async Task Connect_HostName_ResolvesThroughTheManagersResolverActorAndBindsTheLocalName()
    {
        var (server, _, local) = await BindAsync();
        var client = CreateTestProbe();
        Io.Tell(new SockStream.Connect(Endpoint.Tcp("localhost", local.Port), Local: Endpoint.Tcp("localhost", 0)), client.Ref);
        var connected = await client.ExpectMsgAsync<SockStream.Connected>();
        Assert.Equal(local, connected.Socket.Peer);
        Assert.StartsWith("tcp:127.0.0.1:", connected.Socket.Local.ToString(), StringComparison.Ordinal);
        await server.ExpectMsgAsync<SockStream.Connected>();
        var resolver = await IdentifyOneAsync(Io.Path / IoManager.ResolverName);
        Assert.Equal("resolver", resolver.Path.Name);
    }

    [Fact]
    public async Task Connect_UnknownHostName_FailsWithTheGaierrorPythonRaises()
    {
        const string Host = "no-such-host.invalid";
        var connect = new SockStream.Connect(Endpoint.Tcp(Host, 9));
        async Task<(string Python, SockStream.CommandFailed Failed)> BothAsync()
        {
            var python = await ProcessRunner.RunAsync("python3", ["-c",
                $"import socket\ntry:\n socket.socket().connect(('{Host}', 9))\nexcept socket.gaierror as e:\n print(f'gaierror: [Errno {{e.errno}}] {{e.strerror}}')"]);
            var client = CreateTestProbe();
            Io.Tell(connect, client.Ref);
            return (python.TrimEnd('\n'), await client.ExpectMsgAsync<SockStream.CommandFailed>(TimeSpan.FromSeconds(15)));
        }
        var (python, failed) = await BothAsync();
        // The name reaches the machine's real nameserver, which can fail transiently (EAI_AGAIN) for one side only:
        // both are asked again, once.
        if (python != failed.Cause.ToString() && (python + failed.Cause).Contains("[Errno -3]", StringComparison.Ordinal))
        {
            (python, failed) = await BothAsync();
        }
        Assert.Equal(connect, failed.Cmd);
        Assert.Equal(python, failed.Cause.ToString());
    }

    [Fact]
    public async Task ConnectAndWrite_BothSides_SeeConnectedReceivedAndOneCloseEach()
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, clientConnected, serverConn, serverConnected) = await ConnectPairAsync(server, local);
        Assert.Equal(clientConnected.LocalAddress, serverConnected.RemoteAddress);
        Assert.Equal(("AF_INET", "SOCK_STREAM", 6), (clientConnected.Socket.Family, clientConnected.Socket.Type, clientConnected.Socket.Proto));

        clientConn.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("ping"), Ack: 1), client.Ref);
        Assert.Equal(1, (await client.ExpectMsgAsync<SockStream.WriteAck>()).Ack);
        var received = await server.ExpectMsgAsync<SockStream.Received>();
        Assert.Equal("ping", Encoding.ASCII.GetString(received.Data.Span));

        clientConn.Tell(SockStream.Close.Instance, client.Ref);
        await client.ExpectMsgAsync<SockStream.Closed>();
        await server.ExpectMsgAsync<SockStream.PeerClosed>();
        await ExpectStoppedWithNothingMoreAsync(client, clientConn);
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
    }

    [Fact]
    public async Task ConfirmedClose_HalfCloses_PeerStillWritesThenBothSeeOneCloseEvent()
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local, new SockStream.Register(KeepOpenOnPeerClosed: true));

        clientConn.Tell(SockStream.ConfirmedClose.Instance, client.Ref);
        await server.ExpectMsgAsync<SockStream.PeerShutdown>();
        serverConn.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("late reply")), server.Ref);
        serverConn.Tell(SockStream.Close.Instance, server.Ref);
        var received = await client.ExpectMsgAsync<SockStream.Received>();
        Assert.Equal("late reply", Encoding.ASCII.GetString(received.Data.Span));
        await client.ExpectMsgAsync<SockStream.ConfirmedClosed>();
        await server.ExpectMsgAsync<SockStream.Closed>();
        await ExpectStoppedWithNothingMoreAsync(client, clientConn);
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
    }

    /// <summary>
    /// A connection registered to echo writes back what it reads, tells its handler nothing of it, and after the peer's
    /// half-close flushes the echo and ends with the one close event.
    /// </summary>
    [Fact]
    public async Task RegisterEcho_BytesComeBackWithoutAReceived_PeerHalfCloseEndsWithPeerClosed()
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local, new SockStream.Register(Echo: true));

        clientConn.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("ping")), client.Ref);
        var echoed = new StringBuilder();
        while (echoed.Length < 4)
        {
            echoed.Append(Encoding.ASCII.GetString((await client.ExpectMsgAsync<SockStream.Received>()).Data.Span));
        }
        Assert.Equal("ping", echoed.ToString());
        clientConn.Tell(SockStream.ConfirmedClose.Instance, client.Ref);
        await server.ExpectMsgAsync<SockStream.PeerClosed>();
        await client.ExpectMsgAsync<SockStream.ConfirmedClosed>();
        await ExpectStoppedWithNothingMoreAsync(client, clientConn);
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
    }

    /// <summary>
    /// After its handler's ConfirmedClose an echoing connection writes nothing more (its side is shut): what the peer
    /// still sends is read and dropped, and the peer's close ends it with ConfirmedClosed, not a broken pipe.
    /// </summary>
    [Fact]
    public async Task RegisterEcho_ConfirmedCloseWhilePeerStillSends_EndsConfirmedClosed()
    {
        var (server, _, local) = await BindAsync();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(await SocketFactory.ResolveAsync(local, LiteralAddresses.Only));
        await server.ExpectMsgAsync<SockStream.Connected>();
        var serverConn = server.LastSender;
        serverConn.Tell(new SockStream.Register(Echo: true), server.Ref);
        using var deadline = new CancellationTokenSource(TestTime.Seconds(10));
        var buffer = new byte[16];
        await peer.SendAsync("x"u8.ToArray());
        Assert.Equal(1, await peer.ReceiveAsync(buffer, SocketFlags.None, deadline.Token));

        serverConn.Tell(SockStream.ConfirmedClose.Instance, server.Ref);
        Assert.Equal(0, await peer.ReceiveAsync(buffer, SocketFlags.None, deadline.Token));
        await peer.SendAsync("sent after the server shut its side"u8.ToArray());
        peer.Shutdown(SocketShutdown.Send);
        await server.ExpectMsgAsync<SockStream.ConfirmedClosed>();
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
    }

    /// <summary>A handler that registers again without the echo gets the bytes read from then on.</summary>
    [Fact]
    public async Task RegisterEcho_RegisteredAgainWithoutIt_HandlerReceivesTheBytes()
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local, new SockStream.Register(Echo: true));
        clientConn.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("x")), client.Ref);
        await client.ExpectMsgAsync<SockStream.Received>();

        serverConn.Tell(SockStream.Register.Instance, server.Ref);
        clientConn.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("to the handler")), client.Ref);
        var received = new StringBuilder();
        while (received.Length < "to the handler".Length)
        {
            received.Append(Encoding.ASCII.GetString((await server.ExpectMsgAsync<SockStream.Received>()).Data.Span));
        }
        Assert.Equal("to the handler", received.ToString());
        await client.ExpectNoMsgAsync(TestTime.Seconds(0.2));
    }

    [Fact]
    public async Task Abort_SendsReset_PeerGetsErrorClosedConnectionReset()
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local);
        clientConn.Tell(SockStream.Abort.Instance, client.Ref);
        await client.ExpectMsgAsync<SockStream.Aborted>();
        var closed = await server.ExpectMsgAsync<SockStream.ErrorClosed>();
        Assert.Equal("ConnectionResetError: [Errno 104] Connection reset by peer", closed.Cause.ToString());
    }

    [Fact]
    public async Task Writes_QueuedBehindAFullSocket_GoOutGatheredInOrderWithEveryAck()
    {
        using var listener = TcpPeer.Listen(out var port);
        var (client, conn, _) = await ConnectAsync(Endpoint.Tcp("127.0.0.1", port), new SocketOptions(SendBufferSize: 4096));
        // Nobody reads yet: the kernel takes a little, the rest queues and later leaves in gathered, partial sends.
        const int count = 200;
        const int size = 8 * 1024;
        for (var i = 0; i < count; i++)
        {
            conn.Tell(new SockStream.Write(Enumerable.Repeat((byte)i, size).ToArray(), Ack: i), client.Ref);
        }
        using var peer = await listener.AcceptAsync();
        var received = new byte[count * size];
        var read = 0;
        while (read < received.Length)
        {
            var n = await peer.ReceiveAsync(received.AsMemory(read), SocketFlags.None);
            Assert.NotEqual(0, n);
            read += n;
        }
        for (var i = 0; i < count; i++)
        {
            Assert.True(received.AsSpan(i * size, size).IndexOfAnyExcept((byte)i) < 0, $"write {i} arrived out of order or damaged");
            var ack = await client.ExpectMsgAsync<SockStream.WriteAck>();
            Assert.Equal((long)i, ack.Ack);
        }
    }

    [Fact]
    public async Task Write_OverPendingLimit_IsCommandFailedNotDropped()
    {
        var io = Sys.ActorOf(IoManager.Props(IoSettings.Default with { MaxPendingWriteBytes = 64 * 1024 }));
        using var peer = TcpPeer.Listen(out var port);
        var (client, conn, _) = await ConnectAsync(Endpoint.Tcp("127.0.0.1", port), new SocketOptions(SendBufferSize: 4096), io);
        // The peer never reads: the kernel buffers fill, then the queue, then writes fail visibly.
        var chunk = new byte[16 * 1024];
        for (var i = 0; i < 400; i++)
        {
            conn.Tell(new SockStream.Write(chunk), client.Ref);
        }
        var failed = (SockStream.CommandFailed)await client.FishForMessageAsync(m => m is SockStream.CommandFailed, TimeSpan.FromSeconds(10));
        Assert.Equal("BlockingIOError", failed.Cause.Kind);
        Assert.Contains("write queue full", failed.Cause.Strerror, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerDeath_ClosesItsConnectionOnly()
    {
        var (server, _, local) = await BindAsync();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        Io.Tell(new SockStream.Connect(local), first.Ref);
        Io.Tell(new SockStream.Connect(local), second.Ref);
        var firstConnected = await first.ExpectMsgAsync<SockStream.Connected>();
        var firstConn = first.LastSender;
        await second.ExpectMsgAsync<SockStream.Connected>();
        var secondConn = second.LastSender;
        firstConn.Tell(SockStream.Register.Instance, first.Ref);
        secondConn.Tell(SockStream.Register.Instance, second.Ref);
        var oneConnected = await server.ExpectMsgAsync<SockStream.Connected>();
        var one = server.LastSender;
        await server.ExpectMsgAsync<SockStream.Connected>();
        var other = server.LastSender;
        // Server-side connections announce themselves concurrently: tell them apart by the client's port.
        var (firstServerConn, secondServerConn) = oneConnected.RemoteAddress.Port == firstConnected.LocalAddress.Port ? (one, other) : (other, one);
        var firstHandler = CreateTestProbe();
        var secondHandler = CreateTestProbe();
        firstServerConn.Tell(SockStream.Register.Instance, firstHandler.Ref);
        secondServerConn.Tell(SockStream.Register.Instance, secondHandler.Ref);

        // Kill the handler of the first client's server-side connection: that client sees its peer close, the second does not.
        Sys.Stop(firstHandler.Ref);
        await first.ExpectMsgAsync<SockStream.PeerClosed>();
        secondConn.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("still here")), second.Ref);
        var received = await secondHandler.ExpectMsgAsync<SockStream.Received>();
        Assert.Equal("still here", Encoding.ASCII.GetString(received.Data.Span));
        Assert.False(second.HasMessages);
    }

    [Fact]
    public async Task Connect_ToFullBacklog_TimesOutWithPythonTimeoutError()
    {
        // A listener whose accept queue is full drops new SYNs: the connect neither succeeds nor fails.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        // Linux queues backlog + 1 connections: one filler fills a backlog of 0.
        using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await filler.ConnectAsync(listener.LocalEndPoint!);
        var client = CreateTestProbe();
        var connect = new SockStream.Connect(SocketFactory.ToEndpoint(EndpointKind.Tcp, listener.LocalEndPoint), Timeout: TimeSpan.FromMilliseconds(300));
        Io.Tell(connect, client.Ref);
        var failed = await client.ExpectMsgAsync<SockStream.CommandFailed>();
        Assert.Equal("TimeoutError: timed out", failed.Cause.ToString());
    }

    [Fact]
    public async Task IdleTimeout_NoTrafficEitherWay_ClosesWithTimeoutError()
    {
        var (server, _, local) = await BindAsync(options: new SocketOptions(IdleTimeout: TimeSpan.FromMilliseconds(200)));
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local);
        var closed = await server.ExpectMsgAsync<SockStream.ErrorClosed>();
        Assert.Equal("TimeoutError: timed out", closed.Cause.ToString());
        await client.ExpectMsgAsync<SockStream.ConnectionClosed>();
    }

    [Theory]
    [InlineData("close")]
    [InlineData("confirmed")]
    [InlineData("abort")]
    public async Task EveryCloseKind_ReachesEachHandlerExactlyOnce(string kind)
    {
        var (server, _, local) = await BindAsync();
        var (client, conn, _, serverConn, _) = await ConnectPairAsync(server, local, new SockStream.Register(KeepOpenOnPeerClosed: kind == "confirmed"));
        SockStream.Command closer = kind switch
        {
            "close" => SockStream.Close.Instance,
            "confirmed" => SockStream.ConfirmedClose.Instance,
            _ => SockStream.Abort.Instance,
        };
        conn.Tell(closer, client.Ref);
        conn.Tell(closer, client.Ref);
        switch (kind)
        {
            case "close":
                await client.ExpectMsgAsync<SockStream.Closed>();
                await server.ExpectMsgAsync<SockStream.PeerClosed>();
                break;
            case "confirmed":
                // The duplicate is answered (EALREADY), not swallowed; the close event comes once, when the peer closes.
                Assert.Equal(114, (await client.ExpectMsgAsync<SockStream.CommandFailed>()).Cause.Errno);
                await server.ExpectMsgAsync<SockStream.PeerShutdown>();
                serverConn.Tell(SockStream.Close.Instance, server.Ref);
                await server.ExpectMsgAsync<SockStream.Closed>();
                await client.ExpectMsgAsync<SockStream.ConfirmedClosed>();
                break;
            default:
                await client.ExpectMsgAsync<SockStream.Aborted>();
                await server.ExpectMsgAsync<SockStream.ErrorClosed>();
                break;
        }
        await ExpectStoppedWithNothingMoreAsync(client, conn);
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
    }
}
