using System.Collections.Concurrent;
using Agent.Actors.Resolution;
using Agent.Messages.Resolution;

namespace Agent.Actors.Tests.Resolution;

/// <summary>The resolver's contract: one reply per request, timeouts, coalescing, cache, crash isolation.</summary>
public sealed class ResolverActorTests(ITestOutputHelper output) : AgentTestKit(output)
{
    [Fact]
    public async Task Lookup_Localhost_RepliesResolvedWithLibcResult()
    {
        var resolver = Sys.ActorOf(ResolverActor.Props(), "resolver");
        var request = new GetAddrInfo("localhost", "80", 0, 1);
        var reply = await resolver.Ask<Resolved>(request, TestTime.Seconds(10));
        Assert.Equal(request, reply.Request);
        Assert.Equal<AddrInfo>(NativeLookups.GetAddrInfo("localhost", "80", 0, 1), ((AddrInfoList)reply.Result).Entries);
    }

    [Fact]
    public async Task Lookup_UnknownService_RepliesPythonGaiError()
    {
        var resolver = Sys.ActorOf(ResolverActor.Props());
        var reply = await resolver.Ask<ResolutionFailed>(new GetAddrInfo("localhost", "nosuchservice"), TestTime.Seconds(10));
        Assert.Equal(new Messages.PythonError("gaierror", -8, "Servname not supported for ai_socktype"), reply.Error);
        Assert.False(reply.TimedOut);
    }

    [Fact]
    public async Task Request_WithNulOrPortAbove65535_RefusedWithoutLookup()
    {
        var calls = 0;
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Lookup = r => { Interlocked.Increment(ref calls); return NativeLookups.Run(r); },
        }));
        var nul = await resolver.Ask<ResolutionFailed>(new GetHostByName("local\0host"), TestTime.Seconds(10));
        var port = await resolver.Ask<ResolutionFailed>(new GetAddrInfo("localhost", "70000"), TestTime.Seconds(10));
        var longName = await resolver.Ask<ResolutionFailed>(new GetAddrInfo(new string('a', 254), null), TestTime.Seconds(10));
        Assert.Equal("ValueError", nul.Error.Kind);
        Assert.Contains("NUL", nul.Error.Strerror, StringComparison.Ordinal);
        Assert.Contains("70000", port.Error.Strerror, StringComparison.Ordinal);
        Assert.Contains("253", longName.Error.Strerror, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task TenThousandConcurrentRequests_EachAnsweredExactlyOnce()
    {
        const int count = 10_000;
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings { Concurrency = 8, Timeout = TestTime.Seconds(60) }));
        var collector = new ReplyCollector(count);
        var sink = Sys.ActorOf(Props.Create(() => new CollectingActor(collector)), "sink");
        for (var i = 0; i < count; i++)
        {
            // Distinct requests so none is coalesced: 10,000 request actors.
            resolver.Tell(new GetAddrInfo("127.0.0.1", (i % 65536).ToString(System.Globalization.CultureInfo.InvariantCulture), 2, i < 5000 ? 1 : 2), sink);
        }
        await collector.All.WaitAsync(TestTime.Seconds(120));
        Assert.Equal(count, collector.Replies.Count);
        Assert.All(collector.Replies, r => Assert.IsType<Resolved>(r));
        var requests = collector.Replies.Cast<Resolved>().Select(r => r.Request).ToHashSet();
        Assert.Equal(count, requests.Count);
        // Nothing more arrives: a late duplicate would show up while we ask once more.
        await resolver.Ask<Resolved>(new GetHostByName("127.0.0.1"), TestTime.Seconds(10));
        Assert.Equal(count, collector.Replies.Count);
    }

    [Fact]
    public async Task HungLookup_TimesOutOnTime_WhileOthersAreAnswered()
    {
        using var release = new ManualResetEventSlim();
        var timeout = TestTime.Seconds(1);
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Concurrency = 4,
            Timeout = timeout,
            Lookup = r => r is GetHostByName { Name: "hang.test" } ? Hang(release) : NativeLookups.Run(r),
        }));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var hung = resolver.Ask<ResolutionFailed>(new GetHostByName("hang.test"), TestTime.Seconds(30));
        var others = Enumerable.Range(0, 50)
            .Select(i => resolver.Ask<Resolved>(new GetAddrInfo("127.0.0.1", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), TestTime.Seconds(30)))
            .ToList();
        await Task.WhenAll(others);
        var failure = await hung;
        started.Stop();
        Assert.True(failure.TimedOut);
        Assert.True(started.Elapsed >= timeout - TimeSpan.FromMilliseconds(50), $"timed out early: {started.Elapsed}");
        Assert.True(started.Elapsed < timeout + TestTime.Seconds(2), $"timed out late: {started.Elapsed}");
        release.Set();
        Assert.IsType<Resolved>(await resolver.Ask<object>(new GetHostByName("localhost"), TestTime.Seconds(10)));
    }

    [Fact]
    public async Task QueuedLookup_TimedOutBeforeAThreadWasFree_NeverCallsLibc()
    {
        using var release = new ManualResetEventSlim();
        using var hungStarted = new ManualResetEventSlim();
        var called = new ConcurrentQueue<ResolutionRequest>();
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Concurrency = 1,
            Timeout = TestTime.Seconds(0.5),
            Lookup = r =>
            {
                called.Enqueue(r);
                if (r is GetHostByName { Name: "hang.test" })
                {
                    hungStarted.Set();
                    return Hang(release);
                }
                return NativeLookups.Run(r);
            },
        }));
        var hung = resolver.Ask<ResolutionFailed>(new GetHostByName("hang.test"), TestTime.Seconds(10));
        Assert.True(hungStarted.Wait(TestTime.Seconds(10)));
        var queued = await resolver.Ask<ResolutionFailed>(new GetHostByName("queued.test"), TestTime.Seconds(10));
        Assert.True(queued.TimedOut);
        Assert.True((await hung).TimedOut);
        release.Set();
        // The one pool thread is free again: the next lookup runs, the abandoned one did not.
        await resolver.Ask<Resolved>(new GetProtoByName("tcp"), TestTime.Seconds(10));
        Assert.DoesNotContain(new GetHostByName("queued.test"), called);
    }

    [Fact]
    public async Task CrashingRequestActor_RequesterGetsFailure_ResolverKeepsServing()
    {
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Lookup = r => r is GetProtoByName { Name: "crash" } ? throw new InvalidOperationException("lookup bug") : NativeLookups.Run(r),
        }));
        var crashed = await resolver.Ask<ResolutionFailed>(new GetProtoByName("crash"), TestTime.Seconds(10));
        Assert.Equal("RuntimeError", crashed.Error.Kind);
        var after = await resolver.Ask<Resolved>(new GetProtoByName("tcp"), TestTime.Seconds(10));
        Assert.Equal(new ProtocolNumber(6), after.Result);
    }

    [Fact]
    public async Task IdenticalRequestsInFlight_ShareOneLookup()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new CountdownEvent(2);
        var calls = 0;
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Lookup = r =>
            {
                Interlocked.Increment(ref calls);
                entered.Signal();
                gate.Wait();
                return NativeLookups.Run(r);
            },
        }));
        var asks = Enumerable.Range(0, 20).Select(_ => resolver.Ask<Resolved>(new GetServByName("http", "tcp"), TestTime.Seconds(10))).ToList();
        // The lookup is held at the gate; a second distinct request proves the first 20 were all received.
        var probe = resolver.Ask<Resolved>(new GetServByName("ssh", "tcp"), TestTime.Seconds(10));
        Assert.True(entered.Wait(TestTime.Seconds(10)), "both distinct lookups should have started");
        gate.Set();
        var replies = await Task.WhenAll(asks);
        await probe;
        Assert.All(replies, r => Assert.Equal(new ServicePort(80), r.Result));
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Cache_PositiveAndNegativeTtls_AreHonoured()
    {
        var clock = new ManualClock();
        var calls = 0;
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Clock = clock,
            PositiveTtl = TimeSpan.FromSeconds(30),
            NegativeTtl = TimeSpan.FromSeconds(5),
            Lookup = r => { Interlocked.Increment(ref calls); return NativeLookups.Run(r); },
        }));
        var hit = new GetServByName("http", "tcp");
        var miss = new GetServByName("nosuchservice", "tcp");
        await resolver.Ask<Resolved>(hit, TestTime.Seconds(10));
        await resolver.Ask<ResolutionFailed>(miss, TestTime.Seconds(10));
        await resolver.Ask<Resolved>(hit, TestTime.Seconds(10));
        await resolver.Ask<ResolutionFailed>(miss, TestTime.Seconds(10));
        Assert.Equal(2, Volatile.Read(ref calls));
        clock.Advance(TimeSpan.FromSeconds(6));
        await resolver.Ask<Resolved>(hit, TestTime.Seconds(10));
        await resolver.Ask<ResolutionFailed>(miss, TestTime.Seconds(10));
        Assert.Equal(3, Volatile.Read(ref calls));
        clock.Advance(TimeSpan.FromSeconds(30));
        await resolver.Ask<Resolved>(hit, TestTime.Seconds(10));
        Assert.Equal(4, Volatile.Read(ref calls));
    }

    /// <summary>Issue 11, part 3: what needs no I/O is answered on the resolver's turn, as libc answers it.</summary>
    [Theory]
    [InlineData("127.0.0.1", "80", 0, 1, 0)]
    [InlineData("::1", null, 10, 2, 0)]
    [InlineData("fe80::1%lo", "443", 0, 0, 0)]
    [InlineData("127.1", "8080", 0, 1, 0x0002)]
    [InlineData("10.0.0.1", "0", 2, 1, 0x0001 | 0x0400)]
    public async Task NumericHostAndService_AnsweredWithoutTheLookupPool_SameAsLibc(string host, string? port, int family, int type, int flags)
    {
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Lookup = _ => throw new InvalidOperationException("the blocking pool was used"),
        }));
        var reply = await resolver.Ask<Resolved>(new GetAddrInfo(host, port, family, type, 0, flags), TestTime.Seconds(10));
        Assert.Equal<AddrInfo>(NativeLookups.GetAddrInfo(host, port, family, type, 0, flags), ((AddrInfoList)reply.Result).Entries);
    }

    [Theory]
    [InlineData("localhost", "80")]
    [InlineData("cafe", "80")]
    [InlineData("127.0.0.1", "http")]
    public async Task NameOrNamedService_StillGoesThroughTheLookupPool(string host, string port)
    {
        var calls = 0;
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Lookup = r => { Interlocked.Increment(ref calls); return NativeLookups.Run(r); },
        }));
        await resolver.Ask<object>(new GetAddrInfo(host, port, 0, 1), TestTime.Seconds(10));
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Cache_OffByDefault_EveryRequestCallsLibc()
    {
        var calls = 0;
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            Lookup = r => { Interlocked.Increment(ref calls); return NativeLookups.Run(r); },
        }));
        for (var i = 0; i < 3; i++)
        {
            await resolver.Ask<Resolved>(new GetProtoByName("udp"), TestTime.Seconds(10));
        }
        Assert.Equal(3, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task ResolverStopped_PendingRequestsAnsweredOnce()
    {
        using var release = new ManualResetEventSlim();
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings { Lookup = _ => Hang(release) }));
        var requester = CreateTestProbe();
        requester.Watch(resolver);
        List<ResolutionRequest> pending = [.. Enumerable.Range(0, 5).Select(i => new GetProtoByName($"p{i}"))];
        pending.ForEach(request => requester.Send(resolver, request));
        // An answered request proves the five were received before the stop.
        requester.Send(resolver, new GetProtoByName("nul\0"));
        Assert.Equal("ValueError", (await requester.ExpectMsgAsync<ResolutionFailed>(TimeSpan.FromSeconds(10))).Error.Kind);
        Sys.Stop(resolver);
        var failures = (await requester.ReceiveNAsync(pending.Count, TimeSpan.FromSeconds(10)).ToListAsync()).Select(Assert.IsType<ResolutionFailed>).ToList();
        // The resolver answers from its PostStop, before its watchers are told: a second answer would come before Terminated.
        await requester.ExpectTerminatedAsync(resolver, TimeSpan.FromSeconds(10));
        release.Set();
        Assert.All(failures, f => Assert.Equal("RuntimeError", f.Error.Kind));
        Assert.Equal(pending.ToHashSet(), failures.Select(f => f.Request).ToHashSet());
    }

    [Fact]
    public async Task Cache_Full_KeepsAtMostMaxEntries()
    {
        var calls = 0;
        var resolver = Sys.ActorOf(ResolverActor.Props(new ResolverSettings
        {
            PositiveTtl = TimeSpan.FromHours(1),
            MaxCacheEntries = 2,
            Lookup = r => { Interlocked.Increment(ref calls); return NativeLookups.Run(r); },
        }));
        foreach (var name in new[] { "tcp", "udp", "icmp", "tcp", "udp", "icmp" })
        {
            await resolver.Ask<Resolved>(new GetProtoByName(name), TestTime.Seconds(10));
        }
        // tcp and udp were cached; icmp found the cache full both times.
        Assert.Equal(4, Volatile.Read(ref calls));
    }

    private static ResolutionResult Hang(ManualResetEventSlim release)
    {
        release.Wait();
        return new HostAddress("0.0.0.0");
    }

    public sealed class ReplyCollector(int expected)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<object> Replies { get; } = new();

        public Task All => _all.Task;

        public void Add(object reply)
        {
            Replies.Enqueue(reply);
            if (Replies.Count == expected)
            {
                _all.TrySetResult();
            }
        }
    }

    public sealed class CollectingActor : ReceiveActor
    {
        public CollectingActor(ReplyCollector collector) => ReceiveAny(collector.Add);
    }
}
