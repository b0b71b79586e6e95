namespace Agent.Actors.Tests.Kernel;

/// <summary>
/// Auto reset on a clock the test moves by hand: the restart count must hold until the reset
/// interval has passed since the child started, however slow the machine is.
/// </summary>
public sealed class BackoffSupervisorAutoResetTests : ActorTestKit
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Max = TimeSpan.FromMilliseconds(160);
    private static readonly TimeSpan ResetAfter = TimeSpan.FromMilliseconds(300);

    private readonly ManualTimeProvider _clock;

    public BackoffSupervisorAutoResetTests(ITestOutputHelper output)
        : this(output, new ManualTimeProvider())
    {
    }

    private BackoffSupervisorAutoResetTests(ITestOutputHelper output, ManualTimeProvider clock)
        : base(output, new ActorSystemSettings { TimeProvider = clock })
    {
        _clock = clock;
    }

    [Fact]
    public void AutoReset_ChildRunsLongerThanResetBackoff_RestartCountGoesBackToZero()
    {
        var hooks = CreateTestProbe();
        var options = BackoffOptions.OnFailure(HookActor.PropsFor(hooks.Ref), "child", Min, Max, 0).WithAutoReset(ResetAfter);
        var supervisor = ActorOf(options.Props());
        hooks.ExpectMsg(new Hook("ctor", 1));

        supervisor.Tell(new Fail(new InvalidOperationException("boom")), TestActor);
        AwaitCondition(() => supervisor.RestartCount() == 1);
        _clock.Advance(Min);
        hooks.FishForMessage(m => m is Hook { Name: "PreStart", Instance: 2 });
        // PreStart can run before the turn that created the child arms its reset timer; this ask queues behind that turn.
        Assert.Equal(1, supervisor.RestartCount());

        _clock.Advance(ResetAfter - TimeSpan.FromTicks(1));
        Assert.Equal(1, supervisor.RestartCount());

        _clock.Advance(TimeSpan.FromTicks(1));
        AwaitCondition(() => supervisor.RestartCount() == 0);
    }

    [Fact]
    public void AutoReset_ChildFailsAgainBeforeResetBackoff_RestartCountKeepsGrowing()
    {
        var hooks = CreateTestProbe();
        var options = BackoffOptions.OnFailure(HookActor.PropsFor(hooks.Ref), "child", Min, Max, 0).WithAutoReset(ResetAfter);
        var supervisor = ActorOf(options.Props());
        hooks.ExpectMsg(new Hook("ctor", 1));

        supervisor.Tell(new Fail(new InvalidOperationException("first")), TestActor);
        AwaitCondition(() => supervisor.RestartCount() == 1);
        _clock.Advance(Min);
        hooks.FishForMessage(m => m is Hook { Name: "PreStart", Instance: 2 });
        // PreStart can run before the turn that created the child arms its reset timer; this ask queues behind that turn.
        Assert.Equal(1, supervisor.RestartCount());

        _clock.Advance(ResetAfter / 2);
        supervisor.Tell(new Fail(new InvalidOperationException("second")), TestActor);
        AwaitCondition(() => supervisor.RestartCount() == 2);
        _clock.Advance(ResetAfter);
        Assert.Equal(2, supervisor.RestartCount());
    }
}
