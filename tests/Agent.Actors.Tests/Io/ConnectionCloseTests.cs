using System.Net;
using System.Net.Sockets;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Event;

namespace Agent.Actors.Tests.Io;

/// <summary>
/// DESIGN.md's close rule: however a connection ends, each live handler gets exactly one close event, then the
/// connection actor terminates; no close event goes anywhere else (a dead handler's would be a dead letter).
/// </summary>
public sealed class ConnectionCloseTests : IoTestBase
{
    private readonly TestProbe _deadLetters;

    public ConnectionCloseTests(ITestOutputHelper output)
        : base(output)
    {
        _deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(_deadLetters.Ref, typeof(DeadLetter));
    }

    [Theory]
    [InlineData("close")]
    [InlineData("confirmed-close")]
    [InlineData("abort")]
    [InlineData("handler-death")]
    public async Task ConnectionEnd_BetweenTwoConnectionActors_EachLiveHandlerGetsOneCloseEventThenTerminated(string how)
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local, new SockStream.Register(KeepOpenOnPeerClosed: how == "confirmed-close"));
        var watcher = CreateTestProbe();
        watcher.Watch(clientConn);
        watcher.Watch(serverConn);

        switch (how)
        {
            case "close":
                clientConn.Tell(SockStream.Close.Instance, client.Ref);
                await client.ExpectMsgAsync(SockStream.Closed.Instance);
                await server.ExpectMsgAsync(SockStream.PeerClosed.Instance);
                break;
            case "confirmed-close":
                clientConn.Tell(SockStream.ConfirmedClose.Instance, client.Ref);
                await server.ExpectMsgAsync(SockStream.PeerShutdown.Instance);
                serverConn.Tell(SockStream.Close.Instance, server.Ref);
                await server.ExpectMsgAsync(SockStream.Closed.Instance);
                await client.ExpectMsgAsync(SockStream.ConfirmedClosed.Instance);
                break;
            case "abort":
                clientConn.Tell(SockStream.Abort.Instance, client.Ref);
                await client.ExpectMsgAsync(SockStream.Aborted.Instance);
                Assert.Equal("ConnectionResetError: [Errno 104] Connection reset by peer",
                    (await server.ExpectMsgAsync<SockStream.ErrorClosed>()).Cause.ToString());
                break;
            default:
                // The client's handler dies: its connection closes with a FIN and tells nobody; the peer sees PeerClosed.
                Sys.Stop(client.Ref);
                await server.ExpectMsgAsync(SockStream.PeerClosed.Instance);
                break;
        }

        if (how != "handler-death")
        {
            await ExpectStoppedWithNothingMoreAsync(client, clientConn);
        }
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
        await ExpectBothTerminatedAsync(watcher, clientConn, serverConn);
        await ExpectNoCloseEventDeadLetteredAsync();
    }

    [Theory]
    [InlineData("peer-fin")]
    [InlineData("peer-rst")]
    public async Task ConnectionEnd_ByARawPeer_HandlerGetsOneCloseEventThenTerminated(string how)
    {
        using var peerListener = TcpPeer.Listen(out var port);
        var (handler, conn, _) = await ConnectAsync(Endpoint.Tcp("127.0.0.1", port));
        using var peer = await peerListener.AcceptAsync();
        if (how == "peer-fin")
        {
            peer.Shutdown(SocketShutdown.Send);
            await handler.ExpectMsgAsync(SockStream.PeerClosed.Instance);
        }
        else
        {
            peer.LingerState = new LingerOption(true, 0);
            peer.Close();
            Assert.Equal("ConnectionResetError: [Errno 104] Connection reset by peer",
                (await handler.ExpectMsgAsync<SockStream.ErrorClosed>()).Cause.ToString());
        }
        await ExpectStoppedWithNothingMoreAsync(handler, conn);
        await ExpectNoCloseEventDeadLetteredAsync();
    }

    /// <summary>
    /// Regression: a Close told without a sender arrives with Akka's dead letters as its sender, which IsNobody() also
    /// matches; the connection must still treat it as the handler's Close (Closed), not as the peer's end (PeerClosed).
    /// </summary>
    [Fact]
    public async Task Close_ToldWithNoSender_HandlerGetsClosedNotPeerClosed()
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local);

        clientConn.Tell(SockStream.Close.Instance, ActorRefs.NoSender);

        await client.ExpectMsgAsync(SockStream.Closed.Instance);
        await server.ExpectMsgAsync(SockStream.PeerClosed.Instance);
        await ExpectStoppedWithNothingMoreAsync(client, clientConn);
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
        await ExpectNoCloseEventDeadLetteredAsync();
    }

    [Fact]
    public async Task ConnectionStoppedFromOutside_HandlerGetsOneErrorClosedThenTerminated()
    {
        var (server, _, local) = await BindAsync();
        var (client, clientConn, _, serverConn, _) = await ConnectPairAsync(server, local);
        // A live connection: registered and reading, so a read is pending when it stops.
        clientConn.Tell(new SockStream.Write(new byte[] { 1 }), client.Ref);
        await server.ExpectMsgAsync<SockStream.Received>();

        // As its listener or the IO manager stopping would, or a crash that the supervisor answers with Stop.
        Sys.Stop(serverConn);

        var closed = await server.ExpectMsgAsync<SockStream.ErrorClosed>();
        Assert.Equal("ConnectionAbortedError: [Errno 103] Software caused connection abort", closed.Cause.ToString());
        await ExpectStoppedWithNothingMoreAsync(server, serverConn);
        await client.ExpectMsgAsync(SockStream.PeerClosed.Instance);
        await ExpectStoppedWithNothingMoreAsync(client, clientConn);
    }

    [Fact]
    public async Task ConnectStoppedBeforeItConnected_CommanderGetsOneCommandFailed()
    {
        // A name that resolves only when the test says so keeps the connect in flight.
        var release = new TaskCompletionSource<IReadOnlyList<IPAddress>>();
        var io = Sys.ActorOf(IoManager.Props(resolver: new PendingResolver(release.Task)));
        var commander = CreateTestProbe();
        var connect = new SockStream.Connect(Endpoint.Parse("tcp:pending.invalid:9"));
        io.Tell(connect, commander.Ref);
        // The manager starts the connection actor when it handles the command: look until it is there.
        IActorRef? connection = null;
        await AwaitAssertAsync(async () => connection = await IdentifyOneAsync(io.Path / "*"));

        Sys.Stop(connection!);

        var failed = await commander.ExpectMsgAsync<SockStream.CommandFailed>();
        Assert.Same(connect, failed.Cmd);
        Assert.Equal(OsErrors.ECONNABORTED, failed.Cause.Errno);
        await ExpectStoppedWithNothingMoreAsync(commander, connection!);
        release.SetResult([IPAddress.Loopback]);
    }

    private sealed class PendingResolver(Task<IReadOnlyList<IPAddress>> addresses) : IAddressResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) => addresses;
    }

    private static async Task ExpectBothTerminatedAsync(TestProbe watcher, IActorRef first, IActorRef second)
    {
        var terminated = new[] { await watcher.ExpectMsgAsync<Terminated>(), await watcher.ExpectMsgAsync<Terminated>() };
        Assert.Equal(new[] { first, second }.ToHashSet(), terminated.Select(t => t.ActorRef).ToHashSet());
    }

    /// <summary>
    /// Every close event was sent to a live handler: one sent anywhere else (a dead handler, the dead-letters
    /// sender of a no-sender command) would be published as a <see cref="DeadLetter"/> before the connection stopped,
    /// which the caller has already seen.
    /// </summary>
    private async Task ExpectNoCloseEventDeadLetteredAsync()
    {
        // A marker dead letter, published after everything the stopped connections sent: what came before it is all there is.
        var marker = Guid.NewGuid().ToString();
        Sys.DeadLetters.Tell(marker);
        var letters = new List<object>();
        await _deadLetters.FishForMessageAsync<DeadLetter>(d =>
        {
            letters.Add(d.Message);
            return Equals(d.Message, marker);
        });
        Assert.DoesNotContain(letters, m => m is SockStream.ConnectionClosed);
    }
}
