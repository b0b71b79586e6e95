using System.Net;
using System.Net.Sockets;
using Agent.Actors.Io;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

/// <summary>
/// A socket that connects for a <see cref="ConnectionRace"/> that is stopping or has stopped is closed, never leaked:
/// the test listener's accepted side sees EOF. The test keeps every socket it opened reachable, so only an explicit
/// dispose (not the finalizer) can close one.
/// </summary>
public sealed class ConnectionRaceTests(ITestOutputHelper output) : IoTestBase(output)
{
    private readonly List<Socket> _opened = [];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConnectionRace_StoppedAsItsWinnerConnects_WinnerIsClosed(bool offeredAfterStop)
    {
        using var listener = TcpPeer.Listen(out var port);
        var race = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        var commander = CreateTestProbe();
        var actor = Sys.ActorOf(ConnectionRace.Props(commander.Ref, new SockStream.CreateConnection("loopback.test", port), IoSettings.Default,
            new LoopbackResolver(), async (target, token) =>
            {
                var socket = await ConnectAsync(target, token);
                var self = await race.Task;
                self.Tell(PoisonPill.Instance);
                if (offeredAfterStop)
                {
                    // The race actor's PostStop has run before the winner is handed to it.
                    await self.WatchAsync(CancellationToken.None);
                }
                return socket;
            }));
        Watch(actor);
        race.SetResult(actor);
        await ExpectTerminatedAsync(actor);

        await ExpectPeerClosedAsync(listener);
    }

    [Fact]
    public async Task ConnectionRace_StoppedWhileAttemptPending_LateSocketIsClosed()
    {
        using var listener = TcpPeer.Listen(out var port);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commander = CreateTestProbe();
        var actor = Sys.ActorOf(ConnectionRace.Props(commander.Ref, new SockStream.CreateConnection("loopback.test", port), IoSettings.Default,
            new LoopbackResolver(), async (target, token) =>
            {
                // A connect that completes just after its cancellation: the socket comes back anyway.
                var socket = await ConnectAsync(target, CancellationToken.None);
                connected.SetResult();
                await release.Task;
                return socket;
            }));
        await connected.Task.WaitAsync(TestTime.Seconds(10));
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(actor);
        release.SetResult();

        await ExpectPeerClosedAsync(listener);
    }

    private async Task<Socket> ConnectAsync(IPEndPoint target, CancellationToken token)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        lock (_opened)
        {
            _opened.Add(socket);
        }
        await socket.ConnectAsync(target, token);
        return socket;
    }

    /// <summary>The one connection the race made reaches EOF (a FIN, not a reset) within a dilated deadline.</summary>
    private async Task ExpectPeerClosedAsync(Socket listener)
    {
        var within = TestTime.Seconds(10);
        using var deadline = new CancellationTokenSource(within);
        try
        {
            using var accepted = await listener.AcceptAsync(deadline.Token);
            Assert.Equal(0, await accepted.ReceiveAsync(new byte[16], SocketFlags.None, deadline.Token));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the race's connection saw no EOF within {within}: its socket leaked");
        }
        lock (_opened)
        {
            Assert.Single(_opened);
            Assert.True(_opened[0].SafeHandle.IsClosed, "the race's socket was not disposed");
        }
    }

    private sealed class LoopbackResolver : IAddressResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IPAddress>>([IPAddress.Loopback]);
    }
}
