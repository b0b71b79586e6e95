namespace Agent.Actors.Tests.Kernel;

public sealed class AsyncHandlerTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record WaitFor(int Id, Task Signal);

    private sealed record Report(bool SenderIntact, bool SelfIntact, bool ContextIntact);

    private sealed record Explode(bool BeforeAwait);

    /// <summary>Awaits the given task before answering; strings are echoed at once.</summary>
    private sealed class Awaiter : ReceiveActor
    {
        public Awaiter()
        {
            ReceiveAsync<WaitFor>(async w =>
            {
                await w.Signal;
                Sender.Tell($"done:{w.Id}");
            });
            ReceiveAsync<int>(async delay =>
            {
                await Task.Delay(delay);
                Sender.Tell(delay);
            });
            ReceiveAsync<string>(async s =>
            {
                var sender = Sender;
                var self = Self;
                await Task.Yield();
                await Task.Delay(5);
                sender.Tell(new Report(Sender.Equals(sender), Self.Equals(self), Context.Self.Equals(self) && Context.Sender.Equals(sender)));
            }, s => s == "report");
            ReceiveAsync<Explode>(async e =>
            {
                if (e.BeforeAwait)
                {
                    throw new InvalidOperationException("before");
                }
                await Task.Yield();
                throw new InvalidOperationException("after");
            });
            Receive<string>(s => Sender.Tell(s));
        }
    }

    private IActorRef NewAwaiter() => ActorOf(Props.Create<Awaiter>());

    [Fact]
    public void ReceiveAsync_TaskPending_NextMessageWaitsUntilItCompletes()
    {
        var actor = NewAwaiter();
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Send(actor, new WaitFor(1, signal.Task));
        Send(actor, "next");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        signal.SetResult();
        ExpectMsg("done:1");
        ExpectMsg("next");
    }

    [Fact]
    public void ReceiveAsync_SeveralWithDifferentDelays_RepliesKeepMessageOrder()
    {
        var actor = NewAwaiter();
        var delays = new[] { 40, 1, 25, 0, 10 };
        foreach (var delay in delays)
        {
            Send(actor, delay);
        }
        Assert.Equal(delays.Cast<object>(), ReceiveN(delays.Length));
    }

    [Fact]
    public void ReceiveAsync_AfterAwait_ContinuationRunsInsideTheActorWithSenderAndSelf()
    {
        var actor = NewAwaiter();
        Send(actor, "report");
        Assert.Equal(new Report(true, true, true), ExpectMsg<Report>());
        Assert.Equal(actor, LastSender);
    }

    [Fact]
    public async Task ReceiveAsync_ContinuationsOfManyMessages_NeverOverlapOtherMessages()
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ActorOf(Props.Create(() => new OverlapCounter(done)));
        for (var i = 0; i < 200; i++)
        {
            actor.Tell(i, ActorRefs.NoSender);
        }
        Assert.Equal(0, await done.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(10))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReceiveAsync_TaskFaults_SupervisorDecidesOnTheException(bool beforeAwait)
    {
        var decisions = CreateTestProbe();
        var parent = ActorOf(Props.Create<Parent>().WithSupervisorStrategy(new OneForOneStrategy(cause =>
        {
            decisions.Ref.Tell(cause.Message, ActorRefs.NoSender);
            return Directive.Restart;
        })));
        var actor = await Parent.Spawn(parent, Props.Create<Awaiter>());
        Send(actor, new Explode(beforeAwait));
        decisions.ExpectMsg(beforeAwait ? "before" : "after");
        Send(actor, "still alive");
        ExpectMsg("still alive");
    }

    [Fact]
    public void ReceiveAsync_FaultedTaskUnderDefaultStrategy_ActorIsRestarted()
    {
        var hooks = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new AsyncHooks(hooks.Ref)));
        hooks.ExpectMsg("started");
        Send(actor, "fail");
        // Default PreRestart runs PostStop on the failed instance.
        hooks.ExpectMsg("stopped");
        hooks.ExpectMsg("restarted");
    }

    [Fact]
    public void ReceiveAsync_StoppedWhileAwaiting_PostStopRunsAndLaterMessagesAreDeadLetters()
    {
        var hooks = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new AsyncHooks(hooks.Ref)));
        hooks.ExpectMsg("started");
        var never = new TaskCompletionSource();
        Send(actor, never.Task);
        hooks.ExpectMsg("awaiting");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        hooks.ExpectMsg("stopped");
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Send(actor, "later");
        var dead = ExpectMsg<DeadLetter>(d => d.Message is "later");
        Assert.Equal(actor, dead.Recipient);
        Assert.Equal(TestActor, dead.Sender);
    }

    private sealed class OverlapCounter : ReceiveActor
    {
        private int _inside;
        private int _overlaps;
        private int _handled;

        public OverlapCounter(TaskCompletionSource<int> done)
        {
            ReceiveAsync<int>(async i =>
            {
                Enter();
                await Task.Yield();
                Enter();
                if (i % 3 == 0)
                {
                    await Task.Delay(1);
                    Enter();
                }
                if (++_handled == 200)
                {
                    done.TrySetResult(Volatile.Read(ref _overlaps));
                }
            });
        }

        private void Enter()
        {
            if (Interlocked.Increment(ref _inside) != 1)
            {
                Interlocked.Increment(ref _overlaps);
            }
            Thread.SpinWait(10);
            Interlocked.Decrement(ref _inside);
        }
    }

    private sealed class AsyncHooks : ReceiveActor
    {
        private readonly IActorRef _hooks;

        public AsyncHooks(IActorRef hooks)
        {
            _hooks = hooks;
            ReceiveAsync<string>(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async failure");
            });
            ReceiveAsync<Task>(async t =>
            {
                _hooks.Tell("awaiting");
                await t;
            });
        }

        protected internal override void PreStart() => _hooks.Tell("started");

        protected internal override void PostRestart(Exception reason) => _hooks.Tell("restarted");

        protected internal override void PostStop() => _hooks.Tell("stopped");
    }
}
