using System.Diagnostics;

namespace Agent.Actors.Tests.Kernel;

public sealed class BackoffSupervisorTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Max = TimeSpan.FromMilliseconds(160);

    private static TimeSpan Base(int restart) =>
        TimeSpan.FromTicks(Math.Min(Max.Ticks, Min.Ticks << Math.Min(restart, 30)));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void CalculateDelay_GrowingRestartCount_DoublesFromMinAndStaysWithinMaxTimesOnePlusRandomFactor(double randomFactor)
    {
        foreach (var random in new[] { 0.0, 0.25, 0.5, 0.999, 1.0 })
        {
            var previous = TimeSpan.Zero;
            for (var n = 0; n < 40; n++)
            {
                var delay = BackoffSupervisor.CalculateDelay(n, Min, Max, randomFactor, random);
                Assert.InRange(delay, Base(n), TimeSpan.FromTicks((long)(Max.Ticks * (1 + randomFactor))));
                Assert.InRange(delay, Base(n), TimeSpan.FromTicks((long)(Base(n).Ticks * (1 + randomFactor)) + 1));
                Assert.True(delay >= previous, $"delay {n} ({delay}) is shorter than delay {n - 1} ({previous})");
                previous = delay;
            }
        }
    }

    [Fact]
    public void CalculateDelay_FirstRestartWithoutRandomness_IsTheMinimum()
    {
        Assert.Equal(Min, BackoffSupervisor.CalculateDelay(0, Min, Max, 0.5, 0.0));
        Assert.Equal(Max, BackoffSupervisor.CalculateDelay(100, Min, Max, 0.5, 0.0));
        Assert.Equal(TimeSpan.FromTicks((long)(Max.Ticks * 1.5)), BackoffSupervisor.CalculateDelay(100, Min, Max, 0.5, 1.0));
    }

    [Fact]
    public void Props_InvalidOptions_AreRejected()
    {
        var child = Props.Create<Parent>();
        Assert.Throws<ArgumentException>(() => BackoffSupervisor.Props(BackoffOptions.OnFailure(child, "c", TimeSpan.Zero, Max, 0.2)));
        Assert.Throws<ArgumentException>(() => BackoffSupervisor.Props(BackoffOptions.OnFailure(child, "c", Max, Min, 0.2)));
        Assert.Throws<ArgumentException>(() => BackoffSupervisor.Props(BackoffOptions.OnFailure(child, "c", Min, Max, 1.5)));
    }

    /// <summary>Reports its start time to the probe and fails in PreStart.</summary>
    private sealed class FailsAtStart(IActorRef probe, Stopwatch clock) : ReceiveActor
    {
        protected internal override void PreStart()
        {
            probe.Tell(clock.Elapsed);
            throw new InvalidOperationException("cannot start");
        }
    }

    [Fact]
    public void OnFailure_ChildFailsRepeatedly_RestartDelaysGrowWithinBounds()
    {
        const double RandomFactor = 0.2;
        var starts = CreateTestProbe();
        var clock = Stopwatch.StartNew();
        var options = BackoffOptions.OnFailure(Props.Create(() => new FailsAtStart(starts.Ref, clock)), "child", Min, Max, RandomFactor)
            .WithAutoReset(TimeSpan.FromSeconds(30));
        ActorOf(options.Props(), "backoff");
        var times = Enumerable.Range(0, 6).Select(_ => starts.ExpectMsg<TimeSpan>()).ToList();
        var slack = Dilated(TimeSpan.FromSeconds(1));
        for (var n = 0; n < times.Count - 1; n++)
        {
            var gap = times[n + 1] - times[n];
            var lower = Base(n) - TimeSpan.FromMilliseconds(10);
            var upper = TimeSpan.FromTicks((long)(Base(n).Ticks * (1 + RandomFactor))) + slack;
            Assert.True(gap >= lower && gap <= upper, $"restart {n}: gap {gap.TotalMilliseconds} ms, expected {lower.TotalMilliseconds}..{upper.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public void OnFailure_ChildFailsOnce_IsStartedAgainAsANewInstance()
    {
        var hooks = CreateTestProbe();
        var supervisor = ActorOf(BackoffOptions.OnFailure(HookActor.PropsFor(hooks.Ref), "child", Min, Max, 0).Props());
        hooks.ExpectMsg(new Hook("ctor", 1));
        hooks.ExpectMsg(new Hook("PreStart", 1));
        supervisor.Tell(new Fail(new InvalidOperationException("boom")), TestActor);
        hooks.ExpectMsg(new Hook("PostStop", 1));
        hooks.ExpectMsg(new Hook("ctor", 2));
        hooks.ExpectMsg(new Hook("PreStart", 2));
        supervisor.Tell("who", TestActor);
        ExpectMsg(("who", 2));
    }

    [Fact]
    public void OnFailure_ChildStopsByItself_SupervisorStops()
    {
        var supervisor = ActorOf(BackoffOptions.OnFailure(Props.Create<SelfStopper>(), "child", Min, Max, 0).Props());
        Watch(supervisor);
        supervisor.Tell("stop", TestActor);
        ExpectTerminated(supervisor);
    }

    [Fact]
    public void OnStop_ChildStopsByItself_IsStartedAgain()
    {
        var hooks = CreateTestProbe();
        var supervisor = ActorOf(BackoffOptions.OnStop(Props.Create(() => new SelfStopper(hooks.Ref)), "child", Min, Max, 0).Props());
        hooks.ExpectMsg("started");
        supervisor.Tell("stop", TestActor);
        hooks.ExpectMsg("started");
        supervisor.Tell("stop", TestActor);
        hooks.ExpectMsg("started");
    }

    [Fact]
    public void OnStop_ChildFails_DefaultStrategyStopsItAndItIsStartedAgain()
    {
        var hooks = CreateTestProbe();
        var supervisor = ActorOf(BackoffOptions.OnStop(HookActor.PropsFor(hooks.Ref), "child", Min, Max, 0).Props());
        hooks.ExpectMsg(new Hook("ctor", 1));
        hooks.ExpectMsg(new Hook("PreStart", 1));
        supervisor.Tell(new Fail(new InvalidOperationException("boom")), TestActor);
        hooks.ExpectMsg(new Hook("PostStop", 1));
        hooks.ExpectMsg(new Hook("ctor", 2));
    }

    [Fact]
    public void GetCurrentChild_ChildRunning_ReturnsItAndNullWhileBackingOff()
    {
        var hooks = CreateTestProbe();
        var options = BackoffOptions.OnFailure(HookActor.PropsFor(hooks.Ref), "child", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), 0);
        var supervisor = ActorOf(options.Props());
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        var child = ExpectMsg<BackoffSupervisor.CurrentChild>().Ref;
        Assert.NotNull(child);
        Assert.Equal("child", child.Path.Name);
        Assert.Equal(supervisor.Path, child.Path.Parent);
        Watch(child);
        child.Tell(new Fail(new InvalidOperationException("boom")), TestActor);
        ExpectTerminated(child);
        AwaitRestartCounted(supervisor);
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        Assert.Null(ExpectMsg<BackoffSupervisor.CurrentChild>().Ref);
    }

    [Fact]
    public void Forward_WhileBackingOff_MessageBecomesADeadLetter()
    {
        var options = BackoffOptions.OnFailure(HookActor.PropsFor(CreateTestProbe().Ref), "child", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), 0);
        var supervisor = ActorOf(options.Props());
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        var child = ExpectMsg<BackoffSupervisor.CurrentChild>().Ref!;
        Watch(child);
        child.Tell(new Fail(new InvalidOperationException("boom")), TestActor);
        ExpectTerminated(child);
        AwaitRestartCounted(supervisor);
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        supervisor.Tell("nobody home", TestActor);
        var dead = (DeadLetter)FishForMessage(m => m is DeadLetter { Message: "nobody home" });
        Assert.Equal(supervisor, dead.Recipient);
        Assert.Equal(TestActor, dead.Sender);
    }

    /// <summary>
    /// Waits until the supervisor has handled its child's Terminated, which clears the child and counts
    /// the restart in one turn: a watcher can hear of the death before the parent does.
    /// </summary>
    private static void AwaitRestartCounted(IActorRef supervisor) => AwaitCondition(() => supervisor.RestartCount() == 1);

    [Fact]
    public void MaxNrOfRetries_ChildKeepsFailing_SupervisorGivesUpAndStops()
    {
        var starts = CreateTestProbe();
        var options = BackoffOptions.OnFailure(Props.Create(() => new FailsAtStart(starts.Ref, Stopwatch.StartNew())), "child", Min, Max, 0)
            .WithAutoReset(TimeSpan.FromSeconds(30))
            .WithMaxNrOfRetries(2);
        var supervisor = ActorOf(options.Props());
        Watch(supervisor);
        ExpectTerminated(supervisor);
        Assert.Equal(3, starts.ReceiveN(3).Count);
        starts.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class SelfStopper : ReceiveActor
    {
        public SelfStopper()
            : this(ActorRefs.Nobody)
        {
        }

        public SelfStopper(IActorRef probe)
        {
            probe.Tell("started");
            Receive<string>(_ => Context.Stop(Self));
        }
    }
}
