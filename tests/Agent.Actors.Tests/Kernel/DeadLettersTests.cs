using Serilog.Events;

namespace Agent.Actors.Tests.Kernel;

public sealed class DeadLettersTests : ManualClockTestKit
{
    private const string Logged = "was not delivered";

    public DeadLettersTests(ITestOutputHelper output)
        : base(output, new ActorSystemSettings
        {
            DeadLetterLogLimit = 3,
            DeadLetterLogWindow = TimeSpan.FromSeconds(10),
        })
    {
    }

    private IActorRef StoppedActor()
    {
        var actor = ActorOf(HookActor.PropsFor(CreateTestProbe().Ref));
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        return actor;
    }

    private int DeadLetterLogLines => Logs.Events.Count(e => e.Level == LogEventLevel.Information && e.RenderMessage().Contains(Logged, StringComparison.Ordinal));

    [Fact]
    public void DeadLetters_MessageToStoppedActor_IsPublishedWithSenderAndRecipient()
    {
        var actor = StoppedActor();
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener.Ref, typeof(DeadLetter));
        actor.Tell("hello", TestActor);
        var letter = listener.ExpectMsg<DeadLetter>();
        Assert.Equal("hello", letter.Message);
        Assert.Equal(TestActor, letter.Sender);
        Assert.Equal(actor, letter.Recipient);
    }

    [Fact]
    public void DeadLetters_MessagesQueuedBehindPoisonPill_ArePublished()
    {
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener.Ref, typeof(DeadLetter));
        var actor = ActorOf(HookActor.PropsFor(CreateTestProbe().Ref));
        using var gate = new ManualResetEventSlim();
        Send(actor, new Block(gate));
        ExpectMsg<Blocked>();
        Send(actor, PoisonPill.Instance);
        Send(actor, "a");
        Send(actor, "b");
        gate.Set();
        Assert.Equal(new object[] { "a", "b" }, listener.ReceiveN(2).Cast<DeadLetter>().Select(d => d.Message));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void DeadLetters_TellToDeadLettersRef_IsPublished()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.DeadLetters.Tell("lost", ActorRefs.NoSender);
        Assert.Equal("lost", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void DeadLetters_ManyInOneWindow_OnlyTheLimitIsLogged()
    {
        var actor = StoppedActor();
        for (var i = 0; i < 10; i++)
        {
            actor.Tell(i, ActorRefs.NoSender);
        }
        Assert.Equal(3, DeadLetterLogLines);
    }

    [Fact]
    public void DeadLetters_NextWindow_LogsAgainAndCountsTheSuppressed()
    {
        var actor = StoppedActor();
        for (var i = 0; i < 10; i++)
        {
            actor.Tell(i, ActorRefs.NoSender);
        }
        Clock.Advance(TimeSpan.FromSeconds(11));
        actor.Tell("next window", ActorRefs.NoSender);
        Assert.Equal(4, DeadLetterLogLines);
        Logs.ExpectLogged(LogEventLevel.Information, "7 dead letters were not logged");
    }

    [Fact]
    public void DeadLetters_EveryMessagePublished_EvenWhenLoggingIsLimited()
    {
        var actor = StoppedActor();
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        for (var i = 0; i < 10; i++)
        {
            actor.Tell(i, ActorRefs.NoSender);
        }
        Assert.Equal(10, ReceiveN(10).Count);
    }

    [Fact]
    public void DeadLetters_StoppedActorStillSubscribedToDeadLetters_NextDeadLetterIsPublishedOnce()
    {
        // A subscriber that stops without unsubscribing must not turn every dead letter into
        // a dead letter about itself (Akka drops DeadLetter messages sent to dead actors).
        var subscriber = StoppedActor();
        // Subscribed once dead: stopping ends an actor's subscriptions, so only this way does a dead letter reach a dead subscriber.
        Sys.EventStream.Subscribe(subscriber, typeof(DeadLetter));
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener.Ref, typeof(DeadLetter));
        var target = StoppedActor();
        target.Tell("lost", ActorRefs.NoSender);
        target.Tell("marker", ActorRefs.NoSender);
        Assert.Equal("lost", listener.ExpectMsg<DeadLetter>().Message);
        // A dead letter about the dead subscriber would be published before the next one.
        Assert.Equal("marker", listener.ExpectMsg<DeadLetter>().Message);
    }
}
