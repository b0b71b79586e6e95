namespace Agent.Actors.Tests.Kernel;

public sealed class StashTests(ITestOutputHelper output) : ActorTestKit(output)
{
    /// <summary>Stashes ints until "open" (unstash all) or "one" (unstash the oldest); open, it reports ints to the probe.</summary>
    private sealed class Gatekeeper : ReceiveActor, IWithStash
    {
        public Gatekeeper(IActorRef probe)
        {
            Receive<int>(_ => Stash.Stash());
            Receive<string>(_ =>
            {
                Stash.UnstashAll();
                Become(() => Receive<int>(i => probe.Tell(i)));
            }, s => s == "open");
            Receive<string>(_ => Stash.Unstash(), s => s == "one");
            Receive<string>(_ => Sender.Tell(Stash.Count), s => s == "count");
            Receive<string>(_ => Sender.Tell(Stash.ClearStash().Count), s => s == "clear");
            Receive<Fail>(f => throw f.Cause);
            Receive<Block>(b =>
            {
                Sender.Tell(new Blocked());
                b.Gate.Wait();
            });
        }

        public IStash Stash { get; set; } = null!;
    }

    private IActorRef NewGatekeeper(TestProbe probe) => ActorOf(Props.Create(() => new Gatekeeper(probe.Ref)));

    [Fact]
    public void UnstashAll_Opened_StashedMessagesComeBeforeNewerOnesInOriginalOrder()
    {
        var probe = CreateTestProbe();
        var actor = NewGatekeeper(probe);
        for (var i = 0; i < 5; i++)
        {
            Send(actor, i);
        }
        Send(actor, "open");
        for (var i = 5; i < 10; i++)
        {
            Send(actor, i);
        }
        Assert.Equal(Enumerable.Range(0, 10).Cast<object>(), probe.ReceiveN(10));
    }

    [Fact]
    public void UnstashAll_NewerMessagesAlreadyInTheMailbox_StillComeAfterTheStashed()
    {
        var probe = CreateTestProbe();
        var actor = NewGatekeeper(probe);
        Send(actor, 0);
        Send(actor, 1);
        using var gate = new ManualResetEventSlim();
        Send(actor, new Block(gate));
        ExpectMsg<Blocked>();
        // "open" and newer messages are queued together, so the newer ones are already
        // taken from the mailbox's inbox when the stash is returned.
        Send(actor, "open");
        Send(actor, 2);
        Send(actor, 3);
        gate.Set();
        Assert.Equal(new object[] { 0, 1, 2, 3 }, probe.ReceiveN(4));
    }

    [Fact]
    public void Unstash_One_ReturnsTheOldestFirst()
    {
        var probe = CreateTestProbe();
        var actor = NewGatekeeper(probe);
        Send(actor, 10);
        Send(actor, 20);
        Send(actor, 30);
        Send(actor, "one");
        // The oldest goes back to the front, is handled before "count" and stashed again, last.
        Send(actor, "count");
        ExpectMsg(3);
        Send(actor, "open");
        Assert.Equal(new object[] { 20, 30, 10 }, probe.ReceiveN(3));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Unstash_One_MessageIsHandledAgainBeforeNewerOnes()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Reorderer(probe.Ref)));
        Send(actor, 1);
        Send(actor, 2);
        Send(actor, "release");
        Send(actor, 3);
        Assert.Equal(new object[] { "release", 1, 2, 3 }, probe.ReceiveN(4));
    }

    [Fact]
    public void ClearStash_DropsTheStashedMessages()
    {
        var probe = CreateTestProbe();
        var actor = NewGatekeeper(probe);
        Send(actor, 1);
        Send(actor, 2);
        Send(actor, "clear");
        ExpectMsg(2);
        Send(actor, "open");
        Send(actor, 3);
        probe.ExpectMsg(3);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Stash_ActorRestarts_StashedMessagesAreHandledByTheNewInstance()
    {
        var probe = CreateTestProbe();
        var actor = NewGatekeeper(probe);
        Send(actor, 1);
        Send(actor, 2);
        Send(actor, new Fail(new InvalidOperationException("boom")));
        // The new instance starts closed again, so the returned messages are stashed anew.
        Send(actor, "count");
        ExpectMsg(2);
        Send(actor, "open");
        Assert.Equal(new object[] { 1, 2 }, probe.ReceiveN(2));
    }

    [Fact]
    public void Stash_ActorStops_StashedMessagesBecomeDeadLetters()
    {
        var actor = NewGatekeeper(CreateTestProbe());
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Send(actor, 1);
        Send(actor, 2);
        Send(actor, "count");
        ExpectMsg(2);
        Sys.Stop(actor);
        Assert.Equal(new object[] { 1, 2 }, ReceiveN(2).Cast<DeadLetter>().Select(d => d.Message));
    }

    [Fact]
    public void UnstashAll_SenderOfStashedMessages_IsKept()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new SenderEcho()));
        probe.Send(actor, "a");
        Send(actor, "b");
        Send(actor, "open");
        probe.ExpectMsg("a");
        ExpectMsg("b");
    }

    private sealed class Reorderer : ReceiveActor, IWithStash
    {
        public Reorderer(IActorRef probe)
        {
            Receive<string>(s =>
            {
                probe.Tell(s);
                Stash.UnstashAll();
                Become(() => Receive<int>(i => probe.Tell(i)));
            });
            Receive<int>(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    private sealed class SenderEcho : ReceiveActor, IWithStash
    {
        public SenderEcho()
        {
            Receive<string>(_ => Stash.Stash(), s => s != "open");
            Receive<string>(_ =>
            {
                Stash.UnstashAll();
                Become(() => Receive<string>(s => Sender.Tell(s)));
            });
        }

        public IStash Stash { get; set; } = null!;
    }
}
