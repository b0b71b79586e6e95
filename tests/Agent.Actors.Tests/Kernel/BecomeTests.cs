namespace Agent.Actors.Tests.Kernel;

public sealed class BecomeTests(ITestOutputHelper output) : ActorTestKit(output)
{
    /// <summary>Answers "state" with its behavior's name; "push:X" stacks X, "become:X" replaces with X, "pop" unstacks.</summary>
    private sealed class Moody : ReceiveActor
    {
        public Moody()
        {
            Behave("initial");
        }

        private void Behave(string name)
        {
            Receive<string>(_ => Sender.Tell(name), s => s == "state");
            Receive<string>(s => BecomeStacked(() => Behave(s[5..])), s => s.StartsWith("push:", StringComparison.Ordinal));
            Receive<string>(s => Become(() => Behave(s[7..])), s => s.StartsWith("become:", StringComparison.Ordinal));
            Receive<string>(_ => UnbecomeStacked(), s => s == "pop");
            Receive<Fail>(f => throw f.Cause);
        }
    }

    private string State(IActorRef actor)
    {
        Send(actor, "state");
        return ExpectMsg<string>();
    }

    [Fact]
    public void Become_NewBehavior_ReplacesTheCurrentOne()
    {
        var actor = ActorOf(Props.Create<Moody>());
        Assert.Equal("initial", State(actor));
        Send(actor, "become:happy");
        Assert.Equal("happy", State(actor));
        Send(actor, "become:sad");
        Assert.Equal("sad", State(actor));
    }

    [Fact]
    public void BecomeStacked_ThenUnbecomeStacked_ReturnsToEachPreviousBehavior()
    {
        var actor = ActorOf(Props.Create<Moody>());
        Send(actor, "push:a");
        Send(actor, "push:b");
        Assert.Equal("b", State(actor));
        Send(actor, "pop");
        Assert.Equal("a", State(actor));
        Send(actor, "pop");
        Assert.Equal("initial", State(actor));
        Send(actor, "pop");
        Assert.Equal("initial", State(actor));
    }

    [Fact]
    public void Become_AfterBecomeStacked_ReplacesOnlyTheTop()
    {
        var actor = ActorOf(Props.Create<Moody>());
        Send(actor, "push:a");
        Send(actor, "push:b");
        Send(actor, "become:c");
        Assert.Equal("c", State(actor));
        Send(actor, "pop");
        Assert.Equal("a", State(actor));
    }

    [Fact]
    public void Become_ActorRestarts_BehaviorIsBackToInitial()
    {
        var actor = ActorOf(Props.Create<Moody>());
        Send(actor, "push:a");
        Send(actor, "become:b");
        Send(actor, new Fail(new InvalidOperationException("boom")));
        Assert.Equal("initial", State(actor));
    }

    [Fact]
    public void Become_MessageNotHandledByNewBehavior_IsPublishedAsUnhandled()
    {
        var actor = ActorOf(Props.Create<Moody>());
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        Send(actor, "push:a");
        Send(actor, 42);
        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
    }

    [Fact]
    public void UntypedActor_BecomeStackedAndUnbecome_SwitchesOnReceive()
    {
        var actor = ActorOf(Props.Create<Toggle>());
        Send(actor, "x");
        ExpectMsg("off:x");
        Send(actor, "toggle");
        Send(actor, "x");
        ExpectMsg("on:x");
        Send(actor, "toggle");
        Send(actor, "x");
        ExpectMsg("off:x");
    }

    private sealed class Toggle : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is "toggle")
            {
                BecomeStacked(On);
            }
            else
            {
                Sender.Tell($"off:{message}");
            }
        }

        private void On(object message)
        {
            if (message is "toggle")
            {
                UnbecomeStacked();
            }
            else
            {
                Sender.Tell($"on:{message}");
            }
        }
    }
}
