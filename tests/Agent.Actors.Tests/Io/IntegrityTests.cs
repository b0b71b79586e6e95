using System.Net.Sockets;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Messages;

namespace Agent.Actors.Tests.Io;

/// <summary>The heaviest load of the suite: runs alone, so it neither slows the timing of other tests nor is slowed by them.</summary>
[Collection(SerialCollection.Name)]
public sealed class IntegrityTests(ITestOutputHelper output) : IoTestBase(output)
{
    private const int Connections = 1000;
    private const int Size = 1024 * 1024;
    private const int Parallel = 32;

    /// <summary>
    /// Dilated, but capped below tests/run.sh's 10 min hang timeout: a slow run fails here with
    /// its own message instead of having the whole test host killed.
    /// </summary>
    private static readonly TimeSpan Deadline = TestTime.Seconds(300) < TimeSpan.FromMinutes(8) ? TestTime.Seconds(300) : TimeSpan.FromMinutes(8);

    [Fact]
    public async Task TcpEcho_ThousandConnectionsOfOneMebibyte_EveryByteComesBack()
    {
        var observer = CreateTestProbe();
        Sys.ActorOf(EchoService.Supervised(Io, Endpoint.Parse("tcp:127.0.0.1:0"), 65_536, observer.Ref));
        var local = (await observer.ExpectMsgAsync<EchoServiceBound>()).Socket.Local;
        var address = await SocketFactory.ResolveAsync(local, LiteralAddresses.Only);
        using var gate = new SemaphoreSlim(Parallel);
        var verified = 0;
        using var deadline = new CancellationTokenSource(Deadline);
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async i =>
        {
            await gate.WaitAsync(deadline.Token);
            try
            {
                // Each connection gets its own pattern, so bytes crossing connections would be caught too.
                var payload = new byte[Size];
                new Random(i).NextBytes(payload);
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(address, deadline.Token);
                var send = Task.Run(async () =>
                {
                    await socket.SendAsync(payload, deadline.Token);
                    socket.Shutdown(SocketShutdown.Send);
                }, deadline.Token);
                var back = new byte[Size + 1];
                var read = 0;
                int n;
                while ((n = await socket.ReceiveAsync(back.AsMemory(read), deadline.Token)) > 0)
                {
                    read += n;
                }
                await send;
                Assert.Equal(Size, read);
                Assert.True(back.AsSpan(0, Size).SequenceEqual(payload), $"connection {i}: echoed bytes differ");
                Interlocked.Increment(ref verified);
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.Equal(Connections, verified);
    }
}
