using System.Net;
using System.Net.Sockets;
using System.Text;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Pattern;

namespace Agent.Actors.Tests.Io;

public sealed class EchoServiceTests(ITestOutputHelper output) : IoTestBase(output)
{
    private async Task<Endpoint> StartEchoAsync(string endpoint, int chunk = 65_536)
    {
        var observer = CreateTestProbe();
        Sys.ActorOf(EchoService.Supervised(Io, Endpoint.Parse(endpoint), chunk, observer.Ref));
        return (await observer.ExpectMsgAsync<EchoServiceBound>()).Socket.Local;
    }

    private static async Task<byte[]> EchoOnceAsync(Socket socket, byte[] payload)
    {
        await socket.SendAsync(payload);
        var back = new byte[payload.Length];
        var read = 0;
        while (read < back.Length)
        {
            var n = await socket.ReceiveAsync(back.AsMemory(read));
            Assert.NotEqual(0, n);
            read += n;
        }
        return back;
    }

    private static async Task<Socket> ConnectRawAsync(Endpoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        return socket;
    }

    /// <summary>
    /// Regression (issue 8): a client that sends 64 KiB blocks while another thread reads everything back, more
    /// slowly, used to be reset: the service wrote faster than the reader drained, hit the connection's
    /// pending-write bound, got CommandFailed and aborted. The service must hold back instead, and lose nothing.
    /// </summary>
    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Echo_FullDuplexBulkClientWithASlowReader_EveryByteBackNoReset(string transport)
    {
        using var dir = new TempDirectory();
        var io = Sys.ActorOf(IoManager.Props(IoSettings.Default with { MaxPendingWriteBytes = 128 * 1024 }));
        var observer = CreateTestProbe();
        var endpoint = Endpoint.Parse(transport == "tcp" ? "tcp:127.0.0.1:0" : "unix:" + dir.File("echo.sock"));
        Sys.ActorOf(EchoService.Supervised(io, endpoint, 65_536, observer.Ref));
        var local = (await observer.ExpectMsgAsync<EchoServiceBound>()).Socket.Local;
        using var socket = transport == "tcp"
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(await SocketFactory.ResolveAsync(local, LiteralAddresses.Only));

        const int Total = 16 * 1024 * 1024;
        const int Block = 64 * 1024;
        static byte At(long offset) => (byte)(offset * 7 % 251);
        using var deadline = new CancellationTokenSource(TestTime.Seconds(60));
        var sending = Task.Run(async () =>
        {
            var block = new byte[Block];
            for (var sent = 0L; sent < Total; sent += Block)
            {
                for (var i = 0; i < Block; i++)
                {
                    block[i] = At(sent + i);
                }
                await socket.SendAsync(block, SocketFlags.None, deadline.Token);
            }
        });
        // Reading 1 KiB at a time is slower than sending 64 KiB at a time: the echo backs up on the server.
        var buffer = new byte[1024];
        var received = 0L;
        while (received < Total)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            Assert.NotEqual(0, n);
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != At(received + i))
                {
                    Assert.Fail($"byte {received + i} differs");
                }
            }
            received += n;
        }
        await sending;
    }

    /// <summary>
    /// The echo's back-pressure: a client that writes and never reads fills the connection's socket buffers, and the
    /// connection then stops reading (its unwritten echo is bounded) rather than queueing without end; once the client
    /// reads, every byte comes back in order.
    /// </summary>
    [Fact]
    public async Task Echo_ClientThatNeverReads_ServerStopsReadingThenEverythingComesBack()
    {
        var local = await StartEchoAsync("tcp:127.0.0.1:0");
        using var socket = await ConnectRawAsync(local);
        socket.Blocking = false;
        static byte At(long offset) => (byte)(offset * 13 % 251);
        var block = new byte[64 * 1024];
        long sent = 0;
        const long Limit = 256L * 1024 * 1024;
        // Send until the kernel takes nothing more for a second: the server has stopped reading. A server that kept
        // reading (queueing its echo) would take all 256 MiB.
        while (sent < Limit)
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = At(sent + i);
            }
            var n = socket.Send(block, 0, block.Length, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                if (!socket.Poll(TestTime.Seconds(1), SelectMode.SelectWrite))
                {
                    break;
                }
                continue;
            }
            Assert.Equal(SocketError.Success, error);
            // A partial send leaves the rest of the block to the next round, regenerated at the new offset.
            sent += n;
        }
        Assert.True(sent < Limit, $"the server kept reading: {sent} bytes taken without an echo read");
        socket.Blocking = true;
        socket.Shutdown(SocketShutdown.Send);
        var buffer = new byte[64 * 1024];
        long received = 0;
        using var deadline = new CancellationTokenSource(TestTime.Seconds(60));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != At(received + i))
                {
                    Assert.Fail($"byte {received + i} differs");
                }
            }
            received += read;
        }
        Assert.Equal(sent, received);
    }

    /// <summary>
    /// Regression (issue 8, item 2): one datagram from an unbound AF_UNIX socket (no return address) stopped the
    /// unix-dgram service for good. It is dropped, and the service keeps echoing to senders that have a name.
    /// </summary>
    [Fact]
    public async Task UnixDgramEcho_DatagramWithoutAReturnAddress_DroppedAndServiceKeepsEchoing()
    {
        using var dir = new TempDirectory();
        var local = await StartEchoAsync("unix-dgram:" + dir.File("echo.sock"));
        var server = SocketFactory.ToUnixEndPoint(local.Path);
        using (var unnamed = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            await unnamed.SendToAsync("nobody to answer"u8.ToArray(), server);
        }
        using var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        client.Bind(SocketFactory.ToUnixEndPoint("@agent-test-" + Guid.NewGuid().ToString("N")));
        await client.SendToAsync("still here"u8.ToArray(), server);
        var buffer = new byte[100];
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        var n = await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        Assert.Equal("still here", Encoding.ASCII.GetString(buffer, 0, n));
    }

    /// <summary>
    /// A unix-dgram client that sends and never reads fills its receive queue; the echo it cannot take is dropped and
    /// the service goes on answering others (the endpoint never waits on one peer's queue).
    /// </summary>
    [Fact]
    public async Task UnixDgramEcho_PeerThatNeverReads_OthersStillEchoed()
    {
        using var dir = new TempDirectory();
        var local = await StartEchoAsync("unix-dgram:" + dir.File("echo.sock"));
        var server = SocketFactory.ToUnixEndPoint(local.Path);
        using var silent = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        silent.Bind(SocketFactory.ToUnixEndPoint("@agent-test-" + Guid.NewGuid().ToString("N")));
        // Far more than a unix socket queues (net.unix.max_dgram_qlen, 10 by default, and the receive buffer).
        for (var i = 0; i < 2000; i++)
        {
            await silent.SendToAsync(new byte[1024], server);
        }
        using var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        client.Bind(SocketFactory.ToUnixEndPoint("@agent-test-" + Guid.NewGuid().ToString("N")));
        await client.SendToAsync("still answered"u8.ToArray(), server);
        var buffer = new byte[100];
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        var n = await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        Assert.Equal("still answered", Encoding.ASCII.GetString(buffer, 0, n));
    }

    /// <summary>A peer's bound name with a newline is its address all the same: echoed to, and written escaped.</summary>
    [Fact]
    public async Task UnixDgramEcho_PeerNameWithANewline_EchoedAndServiceKeepsGoing()
    {
        using var dir = new TempDirectory();
        var local = await StartEchoAsync("unix-dgram:" + dir.File("echo.sock"));
        using var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        client.Bind(SocketFactory.ToUnixEndPoint("@agent-test\nforged " + Guid.NewGuid().ToString("N")));
        await client.SendToAsync("odd name"u8.ToArray(), SocketFactory.ToUnixEndPoint(local.Path));
        var buffer = new byte[100];
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        Assert.Equal("odd name", Encoding.ASCII.GetString(buffer, 0, await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)));
        Assert.DoesNotContain('\n', Endpoint.OfUnixAddress(EndpointKind.UnixDgram, "@a\nb").ToString());
    }

    /// <summary>Regression (issue 8, item 9): a 100,000-byte unix datagram came back cut to 65,536 bytes.</summary>
    [Fact]
    public async Task UnixDgramEcho_DatagramLargerThan64KiB_ComesBackWhole()
    {
        using var dir = new TempDirectory();
        var local = await StartEchoAsync("unix-dgram:" + dir.File("echo.sock"));
        using var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { SendBufferSize = 256 * 1024, ReceiveBufferSize = 256 * 1024 };
        client.Bind(SocketFactory.ToUnixEndPoint("@agent-test-" + Guid.NewGuid().ToString("N")));
        var payload = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();
        await client.SendToAsync(payload, SocketFactory.ToUnixEndPoint(local.Path));
        var buffer = new byte[200_000];
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        var n = await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        Assert.Equal(payload, buffer[..n]);
    }

    /// <summary>Regression (issue 8, item 5): a removed socket file was never noticed; the process ran on, unreachable.</summary>
    [Theory]
    [InlineData("unix")]
    [InlineData("unix-dgram")]
    public async Task Service_ItsUnixNodeRemoved_NoticesAndBindsAgain(string scheme)
    {
        using var dir = new TempDirectory();
        var path = dir.File("echo.sock");
        var observer = CreateTestProbe();
        var io = Sys.ActorOf(IoManager.Props(IoSettings.Default with { UnixNodeCheckInterval = TimeSpan.FromMilliseconds(200) }));
        Sys.ActorOf(EchoService.Supervised(io, Endpoint.Parse($"{scheme}:{path}"), 65_536, observer.Ref));
        await observer.ExpectMsgAsync<EchoServiceBound>();

        File.Delete(path);

        Assert.Equal("its socket stopped", (await observer.ExpectMsgAsync<EchoServiceRetrying>(TestTime.Seconds(10))).Reason);
        await observer.ExpectMsgAsync<EchoServiceBound>(TestTime.Seconds(10));
        Assert.Equal(UnixNode.NodeKind.Socket, UnixNode.Inspect(path, out _));
        if (scheme == "unix")
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(SocketFactory.ToUnixEndPoint(path));
            Assert.Equal("rebound"u8.ToArray(), await EchoOnceAsync(socket, "rebound"u8.ToArray()));
            return;
        }
        using var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        client.Bind(SocketFactory.ToUnixEndPoint("@agent-test-" + Guid.NewGuid().ToString("N")));
        await client.SendToAsync("rebound"u8.ToArray(), SocketFactory.ToUnixEndPoint(path));
        var buffer = new byte[100];
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        Assert.Equal("rebound", Encoding.ASCII.GetString(buffer, 0, await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)));
    }

    [Fact]
    public async Task Echo_AtMaxConnections_NextClientWaitsUntilOneEnds()
    {
        var observer = CreateTestProbe();
        Sys.ActorOf(EchoService.Supervised(Io, Endpoint.Parse("tcp:127.0.0.1:0"), 65_536, observer.Ref, limits: new EchoLimits(MaxConnections: 2)));
        var local = (await observer.ExpectMsgAsync<EchoServiceBound>()).Socket.Local;
        using var first = await ConnectRawAsync(local);
        using var second = await ConnectRawAsync(local);
        Assert.Equal("1"u8.ToArray(), await EchoOnceAsync(first, "1"u8.ToArray()));
        Assert.Equal("2"u8.ToArray(), await EchoOnceAsync(second, "2"u8.ToArray()));
        using var third = await ConnectRawAsync(local);
        await third.SendAsync("3"u8.ToArray());
        var buffer = new byte[1];
        // The kernel completed the third handshake (backlog), but nobody accepted it: no echo while two are open.
        using (var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await third.ReceiveAsync(buffer, SocketFlags.None, quiet.Token));
        }
        first.Dispose();
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        Assert.Equal(1, await third.ReceiveAsync(buffer, SocketFlags.None, deadline.Token));
        Assert.Equal((byte)'3', buffer[0]);
    }

    [Fact]
    public async Task Echo_IdleTimeoutSet_IdleClientIsClosed()
    {
        var observer = CreateTestProbe();
        Sys.ActorOf(EchoService.Supervised(Io, Endpoint.Parse("tcp:127.0.0.1:0"), 65_536, observer.Ref,
            limits: new EchoLimits(IdleTimeout: TimeSpan.FromMilliseconds(300))));
        var local = (await observer.ExpectMsgAsync<EchoServiceBound>()).Socket.Local;
        using var client = await ConnectRawAsync(local);
        Assert.Equal("x"u8.ToArray(), await EchoOnceAsync(client, "x"u8.ToArray()));
        // The connection ends with TimeoutError, which resets it (SocketOptions.IdleTimeout).
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        var reset = await Assert.ThrowsAsync<SocketException>(async () => await client.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token));
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Fact]
    public async Task Service_ItsSocketActorStoppedFromOutside_BindsAgain()
    {
        var observer = CreateTestProbe();
        Sys.ActorOf(EchoService.Supervised(Io, Endpoint.Parse("udp:127.0.0.1:0"), 65_536, observer.Ref));
        await observer.ExpectMsgAsync<EchoServiceBound>();
        // Its socket actor, not the IO manager's resolver child (named "resolver"; socket actors get "$" names).
        var endpoint = await IdentifyOneAsync(Io.Path / "$*");
        var watcher = CreateTestProbe();
        watcher.Watch(endpoint);

        Sys.Stop(endpoint);
        await watcher.ExpectTerminatedAsync(endpoint);

        await observer.ExpectMsgAsync<EchoServiceRetrying>();
        var again = await observer.ExpectMsgAsync<EchoServiceBound>(TestTime.Seconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.SendToAsync("back"u8.ToArray(), await SocketFactory.ResolveAsync(again.Socket.Local, LiteralAddresses.Only));
        var buffer = new byte[10];
        using var deadline = new CancellationTokenSource(TestTime.Seconds(5));
        Assert.Equal("back", Encoding.ASCII.GetString(buffer, 0, await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)));
    }

    [Fact]
    public async Task TcpEcho_16ByteChunks_EchoesTheSeedMessage()
    {
        var local = await StartEchoAsync("tcp:127.0.0.1:0", chunk: 16);
        using var socket = await ConnectRawAsync(local);
        var message = "This is the message.  It will be repeated."u8.ToArray();
        Assert.Equal(message, await EchoOnceAsync(socket, message));
    }

    [Fact]
    public async Task TcpEcho_PeerHalfCloses_EverythingEchoedBeforeTheClose()
    {
        var local = await StartEchoAsync("tcp:127.0.0.1:0", chunk: 16);
        using var socket = await ConnectRawAsync(local);
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("half-close ", 500)));
        await socket.SendAsync(payload);
        socket.Shutdown(SocketShutdown.Send);
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, n);
        }
        Assert.Equal(payload, received.ToArray());
    }

    [Fact]
    public async Task UdpEcho_ReturnsTheDatagramToItsSender()
    {
        var local = await StartEchoAsync("udp:127.0.0.1:0");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.SendToAsync("datagram"u8.ToArray(), await SocketFactory.ResolveAsync(local, LiteralAddresses.Only));
        var buffer = new byte[100];
        var n = await socket.ReceiveAsync(buffer);
        Assert.Equal("datagram", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public async Task PortTaken_ServiceRetriesWithBackoffAndBindsOnceFreed()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var observer = CreateTestProbe();
        // Every bind of the service passes through this probe on its way to the IO manager.
        var io = CreateTestProbe();
        var supervisor = Sys.ActorOf(EchoService.Supervised(io.Ref, Endpoint.Tcp("127.0.0.1", port), 1024, observer.Ref));
        const int FailedBinds = 3;
        for (var attempt = 0; attempt < FailedBinds; attempt++)
        {
            io.Forward(Io, await io.ExpectMsgAsync<SockStream.Bind>(TimeSpan.FromSeconds(15)));
        }
        // Another bind proves the last forwarded one failed too: the service was restarted after each failure.
        var next = await io.ExpectMsgAsync<SockStream.Bind>(TimeSpan.FromSeconds(15));
        Assert.Equal(FailedBinds, (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, TestTime.Seconds(5))).Count);
        for (var attempt = 0; attempt < FailedBinds; attempt++)
        {
            Assert.Contains("Address already in use", (await observer.ExpectMsgAsync<EchoServiceRetrying>()).Reason);
        }
        Assert.False(observer.HasMessages);
        taken.Dispose();
        io.Forward(Io, next);
        var bound = await observer.ExpectMsgAsync<EchoServiceBound>(TimeSpan.FromSeconds(15));
        Assert.Equal(port, bound.Socket.Local.Port);
        using var socket = await ConnectRawAsync(bound.Socket.Local);
        Assert.Equal("back"u8.ToArray(), await EchoOnceAsync(socket, "back"u8.ToArray()));
    }

    [Fact]
    public async Task ClientResetMidStream_OnlyItsConnectionStops_HundredOthersKeepEchoing()
    {
        var local = await StartEchoAsync("tcp:127.0.0.1:0");
        var others = new List<Socket>();
        for (var i = 0; i < 100; i++)
        {
            others.Add(await ConnectRawAsync(local));
        }
        var watcher = CreateTestProbe();
        using (var rude = await ConnectRawAsync(local))
        {
            // One echo each: every connection now has its connection actor under the service's listener.
            await Task.WhenAll(others.Append(rude).Select(s => EchoOnceAsync(s, "hello"u8.ToArray())));
            // The IO manager's one child is the service's listener (no name was resolved, so no resolver); its children
            // are the connection actors.
            var connections = await IdentifyAsync(Io.Path / "*" / "*", others.Count + 1);
            Assert.All(connections, c => Assert.Equal(Io.Path, c.Path.Parent.Parent));
            foreach (var connection in connections)
            {
                watcher.Watch(connection);
            }
            await rude.SendAsync(new byte[100_000]);
            rude.LingerState = new LingerOption(true, 0);
        }
        // The reset was processed: a connection actor stopped. Every other connection still echoes, concurrently.
        await watcher.ExpectMsgAsync<Terminated>();
        var results = await Task.WhenAll(others.Select((s, i) => EchoOnceAsync(s, Encoding.ASCII.GetBytes($"conn {i}"))));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"conn {i}", Encoding.ASCII.GetString(results[i]));
        }
        Assert.False(watcher.HasMessages, "another connection actor stopped");
        using var fresh = await ConnectRawAsync(local);
        Assert.Equal("new"u8.ToArray(), await EchoOnceAsync(fresh, "new"u8.ToArray()));
        others.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task HandlerThatThrows_ClosesItsConnectionOnly()
    {
        var (server, _, local) = await BindAsync();
        var parent = Sys.ActorOf(Props.Create(() => new ThrowingHandlerParent()));
        using var victim = await ConnectRawAsync(local);
        using var survivor = await ConnectRawAsync(local);
        // Connection actors announce themselves concurrently: tell them apart by the client's port.
        var firstConnected = await server.ExpectMsgAsync<SockStream.Connected>();
        var firstConn = server.LastSender;
        await server.ExpectMsgAsync<SockStream.Connected>();
        var secondConn = server.LastSender;
        var victimPort = ((IPEndPoint)victim.LocalEndPoint!).Port;
        var (victimConn, survivorConn) = firstConnected.RemoteAddress.Port == victimPort ? (firstConn, secondConn) : (secondConn, firstConn);
        victimConn.Tell(SockStream.Register.Instance, await parent.Ask<IActorRef>("throwing", TestTime.Seconds(5)));
        survivorConn.Tell(SockStream.Register.Instance, await parent.Ask<IActorRef>("echo", TestTime.Seconds(5)));
        await victim.SendAsync("boom"u8.ToArray());
        Assert.Equal(0, await victim.ReceiveAsync(new byte[16]));
        Assert.Equal("fine"u8.ToArray(), await EchoOnceAsync(survivor, "fine"u8.ToArray()));
    }

    public sealed class ThrowingHandlerParent : ReceiveActor
    {
        public ThrowingHandlerParent()
        {
            Receive<string>(kind => Sender.Tell(kind == "throwing"
                ? Context.ActorOf(Props.Create(() => new ThrowingHandler()))
                : Context.ActorOf(Props.Create(() => new EchoingHandler()))));
        }

        protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;
    }

    public sealed class ThrowingHandler : ReceiveActor
    {
        public ThrowingHandler() => Receive<SockStream.Received>(_ => throw new InvalidOperationException("handler bug"));
    }

    public sealed class EchoingHandler : ReceiveActor
    {
        public EchoingHandler() => Receive<SockStream.Received>(r => Sender.Tell(new SockStream.Write(r.Data), Self));
    }
}
