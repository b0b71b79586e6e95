namespace Agent.Actors.Tests.Kernel;

public sealed class ReceiveTimeoutTests : ManualClockTestKit
{
    public ReceiveTimeoutTests(ITestOutputHelper output)
        : base(output)
    {
    }

    /// <summary>Answered by the actor without touching its receive timeout: a barrier for the test.</summary>
    private sealed record Sync : INotInfluenceReceiveTimeout;

    private sealed record SetTimeout(TimeSpan? Timeout);

    /// <summary>Sets a 1 s receive timeout on start and reports every <see cref="ReceiveTimeout"/> to the probe.</summary>
    private sealed class Idler : ReceiveActor
    {
        public Idler(IActorRef probe)
        {
            Receive<ReceiveTimeout>(t => probe.Tell(t));
            Receive<Sync>(_ => Sender.Tell("synced"));
            Receive<SetTimeout>(s => Context.SetReceiveTimeout(s.Timeout));
            Receive<string>(_ => { });
        }

        protected internal override void PreStart() => Context.SetReceiveTimeout(TimeSpan.FromSeconds(1));
    }

    private (IActorRef Actor, TestProbe Probe) Start()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Idler(probe.Ref)));
        SyncWith(actor);
        return (actor, probe);
    }

    private void SyncWith(IActorRef actor)
    {
        Send(actor, new Sync());
        ExpectMsg("synced");
    }

    [Fact]
    public void ReceiveTimeout_Idle_FiresAfterTheTimeout()
    {
        var (_, probe) = Start();
        Clock.Advance(TimeSpan.FromMilliseconds(999));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        probe.ExpectMsg(ReceiveTimeout.Instance);
    }

    [Fact]
    public void ReceiveTimeout_MessageArrives_TimerStartsAgain()
    {
        var (actor, probe) = Start();
        Clock.Advance(TimeSpan.FromMilliseconds(600));
        Send(actor, "ping");
        SyncWith(actor);
        Clock.Advance(TimeSpan.FromMilliseconds(600));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromMilliseconds(400));
        probe.ExpectMsg(ReceiveTimeout.Instance);
    }

    [Fact]
    public void ReceiveTimeout_NotInfluencingMessage_DoesNotResetTheTimer()
    {
        var (actor, probe) = Start();
        Clock.Advance(TimeSpan.FromMilliseconds(600));
        SyncWith(actor);
        Clock.Advance(TimeSpan.FromMilliseconds(400));
        probe.ExpectMsg(ReceiveTimeout.Instance);
    }

    [Fact]
    public void ReceiveTimeout_ClearedWithNull_NeverFires()
    {
        var (actor, probe) = Start();
        Send(actor, new SetTimeout(null));
        SyncWith(actor);
        Clock.Advance(TimeSpan.FromSeconds(10));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, Clock.ArmedTimers);
    }

    [Fact]
    public void ReceiveTimeout_StillIdleAfterFiring_FiresAgain()
    {
        var (actor, probe) = Start();
        Clock.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectMsg(ReceiveTimeout.Instance);
        // The timer is armed again after the handler returns: wait for that turn to end before moving the clock.
        SyncWith(actor);
        // Akka.NET: the timeout stays in effect and fires after every idle period.
        Clock.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectMsg(ReceiveTimeout.Instance);
    }

    [Fact]
    public void ReceiveTimeout_ChangedWhileRunning_UsesTheNewTimeout()
    {
        var (actor, probe) = Start();
        Send(actor, new SetTimeout(TimeSpan.FromSeconds(5)));
        SyncWith(actor);
        Clock.Advance(TimeSpan.FromSeconds(4));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectMsg(ReceiveTimeout.Instance);
    }

    [Fact]
    public void ReceiveTimeout_ActorStops_TimerIsDisposed()
    {
        var (actor, _) = Start();
        Assert.Equal(1, Clock.ArmedTimers);
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Assert.Equal(0, Clock.ArmedTimers);
    }

    [Fact]
    public async Task ReceiveTimeout_SystemClock_FiresWhenIdle()
    {
        await using var system = ActorSystem.Create("real-clock");
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new RealIdler(fired)));
        await fired.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(3)));
    }

    private sealed class RealIdler : ReceiveActor
    {
        public RealIdler(TaskCompletionSource fired)
        {
            Context.SetReceiveTimeout(TimeSpan.FromMilliseconds(50));
            Receive<ReceiveTimeout>(_ => fired.TrySetResult());
        }
    }
}
