namespace Agent.Actors.Tests.Kernel;

public sealed class DispatchTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record Numbered(int Sender, int Seq);

    private sealed record Outcome(int Handled, int Overlaps, int OrderViolations);

    /// <summary>
    /// Counts how many threads are inside its handler at once (must never exceed one) and
    /// checks that each sender's sequence numbers arrive in order; reports after <c>expected</c> messages.
    /// </summary>
    private sealed class Exclusive : ReceiveActor
    {
        private readonly Dictionary<int, int> _lastSeq = [];
        private int _inside;
        private int _overlaps;
        private int _violations;
        private int _handled;

        public Exclusive(int expected, TaskCompletionSource<Outcome> done)
        {
            Receive<Numbered>(m =>
            {
                if (Interlocked.Increment(ref _inside) != 1)
                {
                    Interlocked.Increment(ref _overlaps);
                }
                Thread.SpinWait(20);
                if (_lastSeq.TryGetValue(m.Sender, out var last) && m.Seq != last + 1)
                {
                    _violations++;
                }
                _lastSeq[m.Sender] = m.Seq;
                if (++_handled == expected)
                {
                    done.TrySetResult(new Outcome(_handled, Volatile.Read(ref _overlaps), _violations));
                }
                Interlocked.Decrement(ref _inside);
            });
        }
    }

    /// <summary>Sends its share of numbered messages from inside an actor, in chunks, yielding in between.</summary>
    private sealed class SenderActor : ReceiveActor
    {
        public SenderActor(IActorRef target, int id, int count)
        {
            var next = 0;
            Receive<string>(_ =>
            {
                for (var i = 0; i < 100 && next < count; i++)
                {
                    target.Tell(new Numbered(id, next++));
                }
                if (next < count)
                {
                    Self.Tell("go");
                }
            });
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    public async Task Dispatch_ManyThreadPoolSenders_OneMessageAtATimeAndPerSenderFifo(int throughput)
    {
        const int Senders = 16;
        const int PerSender = 4000;
        await using var system = ActorSystem.Create("dispatch", new ActorSystemSettings { Throughput = throughput });
        var done = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = system.ActorOf(Props.Create(() => new Exclusive(Senders * PerSender, done)));
        using var start = new ManualResetEventSlim();
        var senders = Enumerable.Range(0, Senders).Select(id => Task.Run(() =>
        {
            start.Wait();
            for (var seq = 0; seq < PerSender; seq++)
            {
                target.Tell(new Numbered(id, seq), ActorRefs.NoSender);
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(senders).WaitAsync(Dilated(TimeSpan.FromSeconds(20)));
        var outcome = await done.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(new Outcome(Senders * PerSender, 0, 0), outcome);
    }

    [Fact]
    public async Task Dispatch_ManyActorSenders_OneMessageAtATimeAndPerSenderFifo()
    {
        const int Senders = 16;
        const int PerSender = 4000;
        var done = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = ActorOf(Props.Create(() => new Exclusive(Senders * PerSender, done)));
        var senders = Enumerable.Range(0, Senders).Select(id => ActorOf(Props.Create(() => new SenderActor(target, id, PerSender)))).ToList();
        foreach (var sender in senders)
        {
            sender.Tell("go", ActorRefs.NoSender);
        }
        var outcome = await done.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(new Outcome(Senders * PerSender, 0, 0), outcome);
    }

    [Fact]
    public void Dispatch_StopQueuedBehindUserMessages_SystemMessageIsHandledFirst()
    {
        var handled = CreateTestProbe();
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        using var gate = new ManualResetEventSlim();
        var blockingActor = ActorOf(Props.Create(() => new GateThenForward(handled.Ref)));
        blockingActor.Tell(new Block(gate), TestActor);
        ExpectMsg<Blocked>();
        for (var i = 0; i < 10; i++)
        {
            blockingActor.Tell(i, TestActor);
        }
        Sys.Stop(blockingActor);
        gate.Set();
        // None of the queued user messages is handled: the stop overtakes them.
        var letters = ReceiveN(10).Cast<DeadLetter>().Select(d => d.Message);
        Assert.Equal(Enumerable.Range(0, 10).Cast<object>(), letters);
        handled.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Dispatch_WatchQueuedBehindUserMessages_IsRegisteredBeforeThem()
    {
        var handled = CreateTestProbe();
        using var gate = new ManualResetEventSlim();
        var target = ActorOf(Props.Create(() => new GateThenForward(handled.Ref)));
        target.Tell(new Block(gate), TestActor);
        ExpectMsg<Blocked>();
        target.Tell(PoisonPill.Instance, TestActor);
        // The watch is sent after the PoisonPill but, as a system message, reaches the actor first,
        // so the watcher hears of the stop with existence confirmed.
        var watcher = CreateTestProbe();
        watcher.Watch(target);
        gate.Set();
        Assert.True(watcher.ExpectTerminated(target).ExistenceConfirmed);
    }

    [Fact]
    public async Task Dispatch_OneBusyActor_DoesNotStarveAnother()
    {
        var busy = ActorOf(Props.Create<SelfLooper>());
        busy.Tell("loop", ActorRefs.NoSender);
        var other = ActorOf(HookActor.PropsFor(CreateTestProbe().Ref));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(("x", 1), await other.Ask<(string, int)>("x", Dilated(TimeSpan.FromSeconds(3))));
        }
        Sys.Stop(busy);
    }

    private sealed class GateThenForward : ReceiveActor
    {
        public GateThenForward(IActorRef probe)
        {
            Receive<Block>(b =>
            {
                Sender.Tell(new Blocked());
                b.Gate.Wait();
            });
            ReceiveAny(m => probe.Forward(m));
        }
    }

    private sealed class SelfLooper : ReceiveActor
    {
        public SelfLooper() => Receive<string>(s => Self.Tell(s));
    }
}
