namespace Agent.Actors.Tests.Kernel;

/// <summary>
/// Auto reset on a clock the test moves by hand: the restart count must hold until the reset
/// interval has passed since the child started, however slow the machine is.
/// </summary>
public sealed class BackoffSupervisorAutoResetTests : ManualClockTestKit
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Max = TimeSpan.FromMilliseconds(160);
    private static readonly TimeSpan ResetAfter = TimeSpan.FromMilliseconds(300);

    public BackoffSupervisorAutoResetTests(ITestOutputHelper output)
        : base(output)
    {
    }

    /// <summary>A supervisor whose first child failed once and whose second child has started, with its reset timer armed.</summary>
    private IActorRef SupervisorOnItsSecondChild()
    {
        var hooks = CreateTestProbe();
        var options = BackoffOptions.OnFailure(HookActor.PropsFor(hooks.Ref), "child", Min, Max, 0).WithAutoReset(ResetAfter);
        var supervisor = ActorOf(options.Props());
        hooks.ExpectMsg(new Hook("ctor", 1));

        supervisor.Tell(new Fail(new InvalidOperationException("first")), TestActor);
        AwaitCondition(() => supervisor.RestartCount() == 1);
        Clock.Advance(Min);
        hooks.FishForMessage(m => m is Hook { Name: "PreStart", Instance: 2 });
        // PreStart can run before the turn that created the child arms its reset timer; this ask queues behind that turn.
        Assert.Equal(1, supervisor.RestartCount());
        return supervisor;
    }

    [Fact]
    public void AutoReset_ChildRunsLongerThanResetBackoff_RestartCountGoesBackToZero()
    {
        var supervisor = SupervisorOnItsSecondChild();

        Clock.Advance(ResetAfter - TimeSpan.FromTicks(1));
        Assert.Equal(1, supervisor.RestartCount());

        Clock.Advance(TimeSpan.FromTicks(1));
        AwaitCondition(() => supervisor.RestartCount() == 0);
    }

    [Fact]
    public void AutoReset_ChildFailsAgainBeforeResetBackoff_RestartCountKeepsGrowing()
    {
        var supervisor = SupervisorOnItsSecondChild();

        Clock.Advance(ResetAfter / 2);
        supervisor.Tell(new Fail(new InvalidOperationException("second")), TestActor);
        AwaitCondition(() => supervisor.RestartCount() == 2);
        Clock.Advance(ResetAfter);
        Assert.Equal(2, supervisor.RestartCount());
    }
}
