using System.Net;
using System.Net.Sockets;
using Agent.Actors.Checks;
using Agent.Messages;
using Agent.Messages.Checks;

namespace Agent.Actors.Tests.Checks;

public sealed class ProbeRunnerTests(ITestOutputHelper output) : ProbeTestBase(output)
{
    /// <summary>
    /// A tcp echo peer that holds each connection <paramref name="hold"/> before echoing, counting connections
    /// accepted and the most open at once.
    /// </summary>
    private sealed class SlowEcho : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new();
        private int _open;
        private int _maxOpen;
        private int _accepted;

        public SlowEcho(TimeSpan hold)
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(64);
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var socket = await _listener.AcceptAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    _ = ServeAsync(socket, hold);
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public int MaxOpen => Volatile.Read(ref _maxOpen);

        public int Accepted => Volatile.Read(ref _accepted);

        private async Task ServeAsync(Socket socket, TimeSpan hold)
        {
            using (socket)
            {
                var open = Interlocked.Increment(ref _open);
                int max;
                while ((max = Volatile.Read(ref _maxOpen)) < open && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
                {
                }
                // Open from accept to the first echo: inside the probe's own run, so the most open at once is at
                // most the probes running at once (a FIN still on its way does not count).
                var counted = true;
                try
                {
                    await Task.Delay(hold, _stop.Token);
                    var buffer = new byte[4096];
                    int n;
                    while ((n = await socket.ReceiveAsync(buffer, _stop.Token)) > 0)
                    {
                        if (counted)
                        {
                            counted = false;
                            Interlocked.Decrement(ref _open);
                        }
                        await socket.SendAsync(buffer.AsMemory(0, n), _stop.Token);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    // The test is over or the probe reset: nothing to echo.
                }
                finally
                {
                    if (counted)
                    {
                        Interlocked.Decrement(ref _open);
                    }
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Dispose();
        }
    }

    private IActorRef Runner(ProbeRunnerSettings settings) => Sys.ActorOf(ProbeRunner.Props(Io, Resolver, settings));

    private static RunProbe Echo(int port, int payload) =>
        new(ProbeTarget.Parse($"tcp-echo:127.0.0.1:{port}"), ProbeOptions.Default with { Timeout = TestTime.Seconds(5), PayloadSize = payload });

    /// <summary>Each requester gets exactly one result, which it returns; nothing else arrives.</summary>
    private static async Task<ProbeResult[]> AnswersAsync(IReadOnlyList<TestProbe> requesters, TimeSpan within)
    {
        var results = new ProbeResult[requesters.Count];
        for (var i = 0; i < requesters.Count; i++)
        {
            results[i] = await requesters[i].ExpectMsgAsync<ProbeResult>(within);
        }
        foreach (var requester in requesters)
        {
            await requester.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        }
        return results;
    }

    [Fact]
    public async Task Runner_CapTwoFiveSlowProbes_NeverMoreThanTwoConnectionsAtOnce()
    {
        using var peer = new SlowEcho(TimeSpan.FromMilliseconds(300));
        var runner = Runner(ProbeRunnerSettings.Default with { MaxConcurrent = 2, MinInterval = TimeSpan.Zero });
        // Distinct payload sizes make five distinct probes (one probe's requests would share one run).
        var requesters = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToList();
        for (var i = 0; i < 5; i++)
        {
            runner.Tell(Echo(peer.Port, 10 + i), requesters[i].Ref);
        }
        var results = await AnswersAsync(requesters, TestTime.Seconds(10));
        Assert.All(results, r => Assert.True(r.Ok, r.Error?.ToString()));
        Assert.Equal(5, peer.Accepted);
        Assert.Equal(2, peer.MaxOpen);
    }

    [Fact]
    public async Task Runner_QueueFull_OverflowAnsweredAtOnceWithBlockingIOError()
    {
        using var peer = new SlowEcho(TimeSpan.FromMilliseconds(300));
        var runner = Runner(ProbeRunnerSettings.Default with { MaxConcurrent = 1, MaxQueued = 1, MinInterval = TimeSpan.Zero });
        var requesters = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        for (var i = 0; i < 3; i++)
        {
            runner.Tell(Echo(peer.Port, 10 + i), requesters[i].Ref);
        }
        var overflow = await requesters[2].ExpectMsgAsync<ProbeResult>(TestTime.Seconds(0.25));
        Assert.Equal(("BlockingIOError", (int?)11), (overflow.Error?.Kind, overflow.Error?.Errno));
        Assert.Equal(0, overflow.Attempts);
        var results = await AnswersAsync(requesters.Take(2).ToList(), TestTime.Seconds(10));
        Assert.All(results, r => Assert.True(r.Ok, r.Error?.ToString()));
        await requesters[2].ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Runner_SameProbeWithinMinInterval_AnsweredFromTheLastResultMarkedCached()
    {
        using var peer = new SlowEcho(TimeSpan.Zero);
        var runner = Runner(ProbeRunnerSettings.Default with { MinInterval = TimeSpan.FromMinutes(1) });
        var first = CreateTestProbe();
        runner.Tell(Echo(peer.Port, 32), first.Ref);
        var fresh = (await AnswersAsync([first], TestTime.Seconds(10)))[0];
        var second = CreateTestProbe();
        runner.Tell(Echo(peer.Port, 32), second.Ref);
        var cached = (await AnswersAsync([second], TestTime.Seconds(1)))[0];
        Assert.False(fresh.Cached);
        Assert.True(cached.Cached);
        Assert.Equal(fresh with { Cached = true }, cached);
        Assert.Equal(1, peer.Accepted);
    }

    [Fact]
    public async Task Runner_SameProbeTwiceAtOnce_OneRunBothAnswered()
    {
        using var peer = new SlowEcho(TimeSpan.FromMilliseconds(200));
        var runner = Runner(ProbeRunnerSettings.Default with { MinInterval = TimeSpan.Zero });
        var requesters = new[] { CreateTestProbe(), CreateTestProbe() };
        foreach (var requester in requesters)
        {
            runner.Tell(Echo(peer.Port, 32), requester.Ref);
        }
        var results = await AnswersAsync(requesters, TestTime.Seconds(10));
        Assert.Equal(results[0], results[1]);
        Assert.Equal(1, peer.Accepted);
    }

    [Fact]
    public async Task Runner_OneRequesterAskingAgainWhileItsProbeWaits_AnsweredOnce()
    {
        using var peer = new SlowEcho(TimeSpan.FromMilliseconds(300));
        var runner = Runner(ProbeRunnerSettings.Default with { MaxConcurrent = 1, MinInterval = TimeSpan.Zero });
        var requester = CreateTestProbe();
        // The second probe waits behind the first; its requester asks again, as a continuous check does after a while.
        runner.Tell(Echo(peer.Port, 10), requester.Ref);
        runner.Tell(Echo(peer.Port, 11), requester.Ref);
        runner.Tell(Echo(peer.Port, 11), requester.Ref);
        var first = await requester.ExpectMsgAsync<ProbeResult>(TestTime.Seconds(10));
        var second = await requester.ExpectMsgAsync<ProbeResult>(TestTime.Seconds(10));
        Assert.True(first.Ok && second.Ok, $"{first.Error} {second.Error}");
        await requester.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, peer.Accepted);
    }

    [Fact]
    public async Task Runner_StoppedWhileProbing_AnswersAsItself()
    {
        using var peer = new SlowEcho(TimeSpan.FromSeconds(30));
        var runner = Runner(ProbeRunnerSettings.Default with { MinInterval = TimeSpan.Zero });
        var requester = CreateTestProbe();
        runner.Tell(Echo(peer.Port, 10), requester.Ref);
        await AwaitConditionAsync(() => Task.FromResult(peer.Accepted == 1), TestTime.Seconds(5));
        Sys.Stop(runner);
        await requester.ExpectMsgAsync<ProbeResult>(r => r.Error?.Kind == "ConnectionAbortedError", TestTime.Seconds(5));
        // A check's coordinator knows whose answer it is by its sender: the runner's, not dead letters'.
        Assert.Equal(runner.Path, requester.LastSender.Path);
    }

    [Fact]
    public async Task Runner_SameQueryScriptTwiceAtOnce_OneRunBothAnswered()
    {
        using var peer = new SlowEcho(TimeSpan.FromMilliseconds(200));
        var runner = Runner(ProbeRunnerSettings.Default with { MinInterval = TimeSpan.Zero });
        // Each request its own script instance, as two requests from the wire would be: equal steps, one probe.
        RunProbe Scripted(string word) => new(ProbeTarget.Parse($"tcp:127.0.0.1:{peer.Port}"),
            ProbeOptions.Default with { Timeout = TestTime.Seconds(5), QueryResponse = new([QueryStep.Send(word + "\n"), QueryStep.Expect($"^{word}\n")]) });
        var requesters = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        runner.Tell(Scripted("ping"), requesters[0].Ref);
        runner.Tell(Scripted("ping"), requesters[1].Ref);
        runner.Tell(Scripted("pong"), requesters[2].Ref);
        var results = await AnswersAsync(requesters, TestTime.Seconds(10));
        Assert.All(results, r => Assert.True(r.Ok, r.Error?.ToString()));
        Assert.Equal(results[0], results[1]);
        Assert.Equal(2, peer.Accepted);
    }

    [Fact]
    public async Task Runner_StartJitter_ProbesStillAnsweredOnce()
    {
        var local = await StartEchoAsync("tcp:127.0.0.1:0");
        var runner = Runner(ProbeRunnerSettings.Default with { StartJitter = TimeSpan.FromMilliseconds(200), MaxQueued = 4 });
        var requesters = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToList();
        for (var i = 0; i < 4; i++)
        {
            runner.Tell(Echo(local.Port, 10 + i), requesters[i].Ref);
        }
        var results = await AnswersAsync(requesters, TestTime.Seconds(10));
        Assert.All(results, r => Assert.True(r.Ok, r.Error?.ToString()));
    }

    [Fact]
    public async Task Runner_BadOptions_ValueErrorResult()
    {
        var runner = Runner(ProbeRunnerSettings.Default);
        var requester = CreateTestProbe();
        runner.Tell(new RunProbe(ProbeTarget.Parse("tcp:127.0.0.1:9"), ProbeOptions.Default with { PayloadSize = 0 }), requester.Ref);
        var result = (await AnswersAsync([requester], TestTime.Seconds(1)))[0];
        Assert.Equal("ValueError", result.Error?.Kind);
        Assert.Contains("payload_size", result.Error?.Strerror, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_StoppedWithProbesWaiting_EveryRequesterAnsweredOnce()
    {
        using var peer = new SlowEcho(TimeSpan.FromSeconds(30));
        var runner = Runner(ProbeRunnerSettings.Default with { MaxConcurrent = 1, MinInterval = TimeSpan.Zero });
        var requesters = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        for (var i = 0; i < 3; i++)
        {
            runner.Tell(Echo(peer.Port, 10 + i), requesters[i].Ref);
        }
        await AwaitConditionAsync(() => Task.FromResult(peer.Accepted == 1), TestTime.Seconds(5));
        Sys.Stop(runner);
        var results = await AnswersAsync(requesters, TestTime.Seconds(5));
        Assert.All(results, r => Assert.Equal("ConnectionAbortedError", r.Error?.Kind));
    }
}
