namespace Agent.Actors.Tests.Kernel;

public sealed class TimersTests : ManualClockTestKit
{
    public TimersTests(ITestOutputHelper output)
        : base(output)
    {
    }

    private sealed record StartSingle(object Key, object Message, TimeSpan Delay);

    private sealed record StartPeriodic(object Key, object Message, TimeSpan Interval);

    private sealed record CancelTimer(object Key);

    private sealed record IsActive(object Key);

    /// <summary>Blocks until the gate opens, then runs <c>Then</c> before handling anything else.</summary>
    private sealed record BlockThen(ManualResetEventSlim Gate, object Then);

    /// <summary>Controls its timers on request (answering "ok") and reports timer messages (strings) to the probe.</summary>
    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef probe)
        {
            Receive<StartSingle>(s =>
            {
                Timers.StartSingleTimer(s.Key, s.Message, s.Delay);
                Sender.Tell("ok");
            });
            Receive<StartPeriodic>(s =>
            {
                Timers.StartPeriodicTimer(s.Key, s.Message, s.Interval);
                Sender.Tell("ok");
            });
            Receive<CancelTimer>(c =>
            {
                Timers.Cancel(c.Key);
                Sender.Tell("ok");
            });
            Receive<IsActive>(a => Sender.Tell(Timers.IsTimerActive(a.Key)));
            Receive<BlockThen>(b =>
            {
                Sender.Tell(new Blocked());
                b.Gate.Wait();
                Apply(b.Then);
            });
            Receive<Fail>(f => throw f.Cause);
            Receive<string>(s => probe.Tell(s));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        private void Apply(object message)
        {
            switch (message)
            {
                case StartSingle s:
                    Timers.StartSingleTimer(s.Key, s.Message, s.Delay);
                    break;
                case CancelTimer c:
                    Timers.Cancel(c.Key);
                    break;
            }
        }
    }

    private (IActorRef Actor, TestProbe Probe) Start()
    {
        var probe = CreateTestProbe();
        return (ActorOf(Props.Create(() => new TimerActor(probe.Ref))), probe);
    }

    private void Do(IActorRef actor, object command)
    {
        Send(actor, command);
        ExpectMsg("ok");
    }

    private bool Active(IActorRef actor, object key)
    {
        Send(actor, new IsActive(key));
        return ExpectMsg<bool>();
    }

    [Fact]
    public void SingleTimer_Due_DeliversOnceThenIsInactive()
    {
        var (actor, probe) = Start();
        Do(actor, new StartSingle("k", "tick", TimeSpan.FromSeconds(1)));
        Assert.True(Active(actor, "k"));
        Clock.Advance(TimeSpan.FromMilliseconds(999));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        probe.ExpectMsg("tick");
        Assert.False(Active(actor, "k"));
        Clock.Advance(TimeSpan.FromSeconds(5));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void PeriodicTimer_DeliversEveryInterval()
    {
        var (actor, probe) = Start();
        Do(actor, new StartPeriodic("k", "tick", TimeSpan.FromMilliseconds(100)));
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(100));
            probe.ExpectMsg("tick");
        }
        Assert.True(Active(actor, "k"));
    }

    [Fact]
    public void Cancel_BeforeDue_NothingIsDelivered()
    {
        var (actor, probe) = Start();
        Do(actor, new StartPeriodic("k", "tick", TimeSpan.FromMilliseconds(100)));
        Do(actor, new CancelTimer("k"));
        Assert.False(Active(actor, "k"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void StartSingleTimer_SameKeyWhileOldMessageIsQueued_StaleMessageIsDropped()
    {
        var (actor, probe) = Start();
        Do(actor, new StartSingle("k", "old", TimeSpan.FromSeconds(1)));
        using var gate = new ManualResetEventSlim();
        Send(actor, new BlockThen(gate, new StartSingle("k", "new", TimeSpan.FromSeconds(1))));
        ExpectMsg<Blocked>();
        Clock.Advance(TimeSpan.FromSeconds(1));
        // "old" is now queued; the actor replaces the timer before it gets to it.
        gate.Set();
        Assert.True(Active(actor, "k"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectMsg("new");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Cancel_WhileMessageIsQueued_MessageIsDropped()
    {
        var (actor, probe) = Start();
        Do(actor, new StartSingle("k", "old", TimeSpan.FromSeconds(1)));
        using var gate = new ManualResetEventSlim();
        Send(actor, new BlockThen(gate, new CancelTimer("k")));
        ExpectMsg<Blocked>();
        Clock.Advance(TimeSpan.FromSeconds(1));
        gate.Set();
        Assert.False(Active(actor, "k"));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Timers_DifferentKeys_AreIndependent()
    {
        var (actor, probe) = Start();
        Do(actor, new StartSingle("a", "a", TimeSpan.FromSeconds(2)));
        Do(actor, new StartSingle("b", "b", TimeSpan.FromSeconds(1)));
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(new object[] { "b", "a" }, probe.ReceiveN(2));
    }

    [Fact]
    public void Timers_ActorStops_AllTimersAreCancelled()
    {
        var (actor, probe) = Start();
        var before = Clock.ArmedTimers;
        Do(actor, new StartPeriodic("p", "tick", TimeSpan.FromMilliseconds(100)));
        Do(actor, new StartSingle("s", "once", TimeSpan.FromSeconds(1)));
        Assert.Equal(before + 2, Clock.ArmedTimers);
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Assert.Equal(before, Clock.ArmedTimers);
        Clock.Advance(TimeSpan.FromSeconds(2));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Timers_ActorRestarts_AllTimersAreCancelled()
    {
        var (actor, probe) = Start();
        Do(actor, new StartPeriodic("p", "tick", TimeSpan.FromMilliseconds(100)));
        Send(actor, new Fail(new InvalidOperationException("boom")));
        Assert.False(Active(actor, "p"));
        Assert.Equal(0, Clock.ArmedTimers);
        Clock.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Scheduler_ScheduleTellOnce_DeliversAfterTheDelay()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "later", ActorRefs.NoSender);
        Clock.Advance(TimeSpan.FromMilliseconds(500));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromMilliseconds(500));
        ExpectMsg("later");
    }

    [Fact]
    public void Scheduler_ScheduleTellRepeatedlyThenCancel_StopsDelivering()
    {
        var task = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "tick", ActorRefs.NoSender);
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(new object[] { "tick", "tick", "tick" }, ReceiveN(3));
        task.Cancel();
        Assert.True(task.IsCancellationRequested);
        Clock.Advance(TimeSpan.FromSeconds(3));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Scheduler_SystemTerminates_PendingDeliveriesAreCancelled()
    {
        var task = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "later", ActorRefs.NoSender);
        await Sys.Terminate();
        Assert.True(task.IsCancellationRequested);
        Assert.Equal(0, Clock.ArmedTimers);
    }
}
