using Serilog.Events;

namespace Agent.Actors.Tests.Kernel.Supervision;

public sealed class SupervisionTests : ManualClockTestKit
{
    public SupervisionTests(ITestOutputHelper output)
        : base(output)
    {
    }

    private IActorRef ParentWith(SupervisorStrategy strategy) =>
        ActorOf(Props.Create<Parent>().WithSupervisorStrategy(strategy));

    private static OneForOneStrategy Always(Directive directive) => new(_ => directive);

    [Fact]
    public async Task Resume_ChildFails_KeepsStateAndDropsOnlyTheFailedMessage()
    {
        var hooks = CreateTestProbe();
        var child = await Parent.Spawn(ParentWith(Always(Directive.Resume)), HookActor.PropsFor(hooks.Ref));
        Send(child, "inc");
        Send(child, "inc");
        Send(child, new Fail(new InvalidOperationException("boom")));
        Send(child, "inc");
        Send(child, "get");
        ExpectMsg(3);
        hooks.ExpectMsg(new Hook("ctor", 1));
        hooks.ExpectMsg(new Hook("PreStart", 1));
        hooks.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Restart_ChildFails_ClearsState()
    {
        var child = await Parent.Spawn(ParentWith(Always(Directive.Restart)), HookActor.PropsFor(CreateTestProbe().Ref));
        Send(child, "inc");
        Send(child, "inc");
        Send(child, "get");
        ExpectMsg(2);
        Send(child, new Fail(new InvalidOperationException("boom")));
        Send(child, "get");
        ExpectMsg(0);
    }

    [Fact]
    public async Task Restart_ChildFails_RunsHooksInOrderOnTheRightInstances()
    {
        var hooks = CreateTestProbe();
        var child = await Parent.Spawn(ParentWith(Always(Directive.Restart)), HookActor.PropsFor(hooks.Ref));
        hooks.ExpectMsg(new Hook("ctor", 1));
        hooks.ExpectMsg(new Hook("PreStart", 1));
        Send(child, new Fail(new InvalidOperationException("boom")));
        hooks.ExpectMsg(new Hook("PreRestart", 1));
        hooks.ExpectMsg(new Hook("PostStop", 1));
        hooks.ExpectMsg(new Hook("ctor", 2));
        hooks.ExpectMsg(new Hook("PostRestart", 2));
        hooks.ExpectMsg(new Hook("PreStart", 2));
        hooks.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Restart_MessagesQueuedBehindTheFailure_AreProcessedByTheNewInstance()
    {
        var child = await Parent.Spawn(ParentWith(Always(Directive.Restart)), HookActor.PropsFor(CreateTestProbe().Ref));
        using var gate = new ManualResetEventSlim();
        Send(child, new Block(gate));
        ExpectMsg<Blocked>();
        Send(child, new Fail(new InvalidOperationException("boom")));
        for (var i = 0; i < 20; i++)
        {
            Send(child, $"m{i}");
        }
        gate.Set();
        for (var i = 0; i < 20; i++)
        {
            ExpectMsg(($"m{i}", 2));
        }
    }

    [Fact]
    public async Task Stop_ChildFails_ChildIsTerminatedAndNotRecreated()
    {
        var hooks = CreateTestProbe();
        var child = await Parent.Spawn(ParentWith(Always(Directive.Stop)), HookActor.PropsFor(hooks.Ref));
        Watch(child);
        Send(child, new Fail(new InvalidOperationException("boom")));
        ExpectTerminated(child);
        hooks.ExpectMsg(new Hook("ctor", 1));
        hooks.ExpectMsg(new Hook("PreStart", 1));
        hooks.ExpectMsg(new Hook("PostStop", 1));
        hooks.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Escalate_ChildFails_GrandparentDecidesWithTheSameExceptionAndRestartsTheParent()
    {
        var decisions = CreateTestProbe();
        var grandparent = ParentWith(new OneForOneStrategy(cause =>
        {
            decisions.Ref.Tell(cause, ActorRefs.NoSender);
            return Directive.Restart;
        }));
        var parent = await Parent.Spawn(grandparent, Props.Create<Parent>().WithSupervisorStrategy(Always(Directive.Escalate)));
        var child = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref));
        Watch(child);
        var cause = new InvalidOperationException("escalated");
        Send(child, new Fail(cause));
        Assert.Same(cause, decisions.ExpectMsg<InvalidOperationException>());
        // The parent restarts: its default PreRestart stops the failed child.
        ExpectTerminated(child);
        var again = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref), "after-restart");
        Assert.Equal("after-restart", again.Path.Name);
    }

    [Fact]
    public async Task Escalate_GrandparentResumesTheParent_FailedChildIsResumedWithItsState()
    {
        var grandparent = ParentWith(Always(Directive.Resume));
        var parent = await Parent.Spawn(grandparent, Props.Create<Parent>().WithSupervisorStrategy(Always(Directive.Escalate)));
        var child = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref));
        var sibling = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref));
        Send(child, "inc");
        Send(child, new Fail(new InvalidOperationException("escalated")));
        Send(child, "get");
        ExpectMsg(1);
        Send(sibling, "get");
        ExpectMsg(0);
        Send(parent, new CreateChild(HookActor.PropsFor(CreateTestProbe().Ref), "still-works"));
        ExpectMsg<IActorRef>();
    }

    [Fact]
    public async Task Restart_ZeroRetriesAllowed_FirstFailureStopsTheChild()
    {
        var strategy = new OneForOneStrategy(0, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var hooks = CreateTestProbe();
        var child = await Parent.Spawn(ParentWith(strategy), HookActor.PropsFor(hooks.Ref));
        Watch(child);
        Send(child, new Fail(new InvalidOperationException("boom")));
        ExpectTerminated(child);
        hooks.ExpectMsg(new Hook("ctor", 1));
        hooks.ExpectMsg(new Hook("PreStart", 1));
        hooks.ExpectMsg(new Hook("PostStop", 1));
    }

    [Fact]
    public async Task Restart_MoreFailuresThanAllowedWithinTheWindow_ChildIsStopped()
    {
        var hooks = CreateTestProbe();
        var strategy = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var child = await Parent.Spawn(ParentWith(strategy), HookActor.PropsFor(hooks.Ref));
        Watch(child);
        for (var i = 0; i < 3; i++)
        {
            Send(child, new Fail(new InvalidOperationException($"boom {i}")));
        }
        ExpectTerminated(child);
        var restarts = 0;
        while (true)
        {
            var hook = hooks.ExpectMsg<Hook>();
            if (hook.Name == "PostRestart")
            {
                restarts++;
            }
            if (hook.Name == "PostStop" && hook.Instance == 3)
            {
                break;
            }
        }
        Assert.Equal(2, restarts);
    }

    [Fact]
    public async Task Restart_FailuresSpreadOverSeparateWindows_ChildKeepsRestarting()
    {
        var strategy = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var child = await Parent.Spawn(ParentWith(strategy), HookActor.PropsFor(CreateTestProbe().Ref));
        Watch(child);
        for (var window = 0; window < 3; window++)
        {
            Send(child, new Fail(new InvalidOperationException("boom")));
            Send(child, new Fail(new InvalidOperationException("boom")));
            Send(child, "sync");
            ExpectMsg(("sync", (window * 2) + 3));
            Clock.Advance(TimeSpan.FromMinutes(2));
        }
        Send(child, new Fail(new InvalidOperationException("boom")));
        Send(child, new Fail(new InvalidOperationException("boom")));
        Send(child, new Fail(new InvalidOperationException("boom")));
        ExpectTerminated(child);
    }

    [Fact]
    public async Task AllForOne_OneChildFails_SiblingsAreRestartedToo()
    {
        var hooksA = CreateTestProbe();
        var hooksB = CreateTestProbe();
        var parent = ParentWith(new AllForOneStrategy(_ => Directive.Restart));
        var a = await Parent.Spawn(parent, HookActor.PropsFor(hooksA.Ref), "a");
        var b = await Parent.Spawn(parent, HookActor.PropsFor(hooksB.Ref), "b");
        Send(b, "inc");
        Send(b, "get");
        ExpectMsg(1);
        Send(a, new Fail(new InvalidOperationException("boom")));
        hooksA.FishForMessage(m => m is Hook { Name: "PostRestart", Instance: 2 });
        hooksB.FishForMessage(m => m is Hook { Name: "PostRestart", Instance: 2 });
        Send(b, "get");
        ExpectMsg(0);
        Send(a, "who");
        ExpectMsg(("who", 2));
    }

    [Fact]
    public async Task AllForOne_StopDirective_StopsEverySibling()
    {
        var parent = ParentWith(new AllForOneStrategy(_ => Directive.Stop));
        var a = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref), "a");
        var b = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref), "b");
        Watch(a);
        Watch(b);
        Send(a, new Fail(new InvalidOperationException("boom")));
        var stopped = ReceiveN(2).Cast<Terminated>().Select(t => t.ActorRef).ToHashSet();
        Assert.Equal([a, b], stopped.OrderBy(r => r.Path.Name));
    }

    [Fact]
    public async Task OneForOne_OneChildFails_SiblingKeepsItsState()
    {
        var parent = ParentWith(Always(Directive.Restart));
        var a = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref), "a");
        var b = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref), "b");
        Send(b, "inc");
        Send(a, new Fail(new InvalidOperationException("boom")));
        Send(a, "who");
        ExpectMsg(("who", 2));
        Send(b, "get");
        ExpectMsg(1);
    }

    [Fact]
    public void DefaultDecider_KernelExceptions_StopAndOthersRestart()
    {
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorInitializationException(null, "x")));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorKilledException("x")));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new DeathPactException(ActorRefs.Nobody)));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new InvalidOperationException("x")));
    }

    [Fact]
    public void DefaultStrategy_ConstructorThrows_ActorIsStoppedNotRestarted()
    {
        var constructed = 0;
        var actor = ActorOf(Props.FromFactory<HookActor>(() =>
        {
            Interlocked.Increment(ref constructed);
            throw new InvalidOperationException("ctor");
        }));
        Watch(actor);
        ExpectTerminated(actor);
        Assert.Equal(1, Volatile.Read(ref constructed));
    }

    [Fact]
    public void DefaultStrategy_PreStartThrows_ActorIsStoppedAndErrorLogged()
    {
        var actor = ActorOf(Props.Create<ThrowingPreStart>());
        Watch(actor);
        ExpectTerminated(actor);
        Logs.ExpectLogged(LogEventLevel.Error, "directive Stop");
    }

    [Fact]
    public void DefaultStrategy_Kill_ActorIsStopped()
    {
        var hooks = CreateTestProbe();
        var actor = ActorOf(HookActor.PropsFor(hooks.Ref));
        Watch(actor);
        Send(actor, Kill.Instance);
        ExpectTerminated(actor);
        hooks.ExpectMsg(new Hook("ctor", 1));
        hooks.ExpectMsg(new Hook("PreStart", 1));
        hooks.ExpectMsg(new Hook("PostStop", 1));
    }

    [Fact]
    public void DefaultStrategy_UnhandledTerminated_DeathPactStopsTheWatcher()
    {
        var watched = ActorOf(HookActor.PropsFor(CreateTestProbe().Ref));
        var watcher = ActorOf(Props.Create(() => new DeathPact(watched)));
        Watch(watcher);
        Send(watcher, "ready?");
        ExpectMsg("ready");
        Sys.Stop(watched);
        ExpectTerminated(watcher);
    }

    [Fact]
    public void DefaultStrategy_OrdinaryException_ActorIsRestarted()
    {
        var hooks = CreateTestProbe();
        var actor = ActorOf(HookActor.PropsFor(hooks.Ref));
        Send(actor, new Fail(new InvalidOperationException("boom")));
        hooks.FishForMessage(m => m is Hook { Name: "PostRestart", Instance: 2 });
        Send(actor, "who");
        ExpectMsg(("who", 2));
    }

    [Fact]
    public void ActorOwnStrategy_ChildFails_IsUsedWhenPropsSetNone()
    {
        var hooks = CreateTestProbe();
        var parent = ActorOf(Props.Create(() => new ResumingParent(HookActor.PropsFor(hooks.Ref, null))));
        Send(parent, "child?");
        var child = ExpectMsg<IActorRef>();
        Send(child, "inc");
        Send(child, new Fail(new InvalidOperationException("boom")));
        Send(child, "get");
        ExpectMsg(1);
    }

    [Fact]
    public async Task Restart_FailingActorHasChildren_DefaultPreRestartStopsThem()
    {
        var parent = await Parent.Spawn(ParentWith(Always(Directive.Restart)), Props.Create<FailingParent>());
        var grandchild = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref), "kid");
        Watch(grandchild);
        Send(parent, new Fail(new InvalidOperationException("boom")));
        ExpectTerminated(grandchild);
        // The restarted parent can reuse the name once the old child is gone.
        var again = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref), "kid");
        Assert.NotEqual(grandchild.Path.Uid, again.Path.Uid);
    }

    [Fact]
    public void Restart_ActorCreatesNamedChildInItsConstructor_NewInstanceCanReuseTheName()
    {
        var hooks = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new NamedChildOwner(hooks.Ref)));
        hooks.ExpectMsg("kid created");
        Send(actor, new Fail(new InvalidOperationException("boom")));
        hooks.ExpectMsg("kid created");
        Send(actor, "kid?");
        Assert.Equal("kid", ExpectMsg<IActorRef>().Path.Name);
    }

    [Fact]
    public void Restart_NewInstanceConstructorThrows_ActorIsStoppedByTheDefaultStrategy()
    {
        var instances = new StrongBox<int>();
        var actor = ActorOf(Props.Create(() => new FailsOnSecondConstruction(instances)));
        Watch(actor);
        Send(actor, new Fail(new InvalidOperationException("boom")));
        ExpectTerminated(actor);
        Assert.Equal(2, Volatile.Read(ref instances.Value));
    }

    private sealed class NamedChildOwner : ReceiveActor
    {
        public NamedChildOwner(IActorRef hooks)
        {
            var kid = Context.ActorOf(Props.Create<Parent>(), "kid");
            hooks.Tell("kid created");
            Receive<string>(_ => Sender.Tell(kid));
            Receive<Fail>(f => throw f.Cause);
        }
    }

    private sealed class FailsOnSecondConstruction : ReceiveActor
    {
        public FailsOnSecondConstruction(StrongBox<int> instances)
        {
            if (Interlocked.Increment(ref instances.Value) > 1)
            {
                throw new InvalidOperationException("second construction");
            }
            Receive<Fail>(f => throw f.Cause);
        }
    }

    [Fact]
    public async Task Failure_SupervisorBusy_ChildHandlesNothingUntilTheDirective()
    {
        var parent = ActorOf(Props.Create<BlockingParent>().WithSupervisorStrategy(Always(Directive.Resume)));
        var child = await Parent.Spawn(parent, HookActor.PropsFor(CreateTestProbe().Ref));
        using var gate = new ManualResetEventSlim();
        Send(parent, new Block(gate));
        ExpectMsg<Blocked>();
        Send(child, new Fail(new InvalidOperationException("boom")));
        Send(child, "after");
        // The child is suspended until its busy parent handles the failure.
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        gate.Set();
        ExpectMsg(("after", 1));
    }

    private sealed class BlockingParent : ReceiveActor
    {
        public BlockingParent()
        {
            Receive<CreateChild>(c => Sender.Tell(Context.ActorOf(c.Props, c.Name)));
            Receive<Block>(b =>
            {
                Sender.Tell(new Blocked());
                b.Gate.Wait();
            });
        }
    }

    private sealed class ThrowingPreStart : ReceiveActor
    {
        protected internal override void PreStart() => throw new InvalidOperationException("PreStart");
    }

    private sealed class DeathPact : ReceiveActor
    {
        public DeathPact(IActorRef watched)
        {
            Context.Watch(watched);
            Receive<string>(_ => Sender.Tell("ready"));
        }
    }

    private sealed class ResumingParent : ReceiveActor
    {
        public ResumingParent(Props childProps)
        {
            var child = Context.ActorOf(childProps, "child");
            Receive<string>(_ => Sender.Tell(child));
        }

        protected internal override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Resume);
    }

    private sealed class FailingParent : ReceiveActor
    {
        public FailingParent()
        {
            Receive<CreateChild>(c => Sender.Tell(Context.ActorOf(c.Props, c.Name)));
            Receive<Fail>(f => throw f.Cause);
        }
    }
}
