using System.Diagnostics;

namespace Agent.TestKit.Tests;

public sealed class TestProbeTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    private IActorRef NewEcho() => ActorOf(Props.Create<Echo>());

    [Fact]
    public async Task HasMessages_UntilTheMessageIsExpected_IsTrue()
    {
        using var system = ActorSystem.Create("probe-owner");
        var probe = TestProbe.Create(system);
        Assert.False(probe.HasMessages);
        probe.Ref.Tell("queued", ActorRefs.NoSender);
        await AwaitAssertAsync(() =>
        {
            Assert.True(probe.HasMessages);
            return Task.CompletedTask;
        });
        Assert.Equal("queued", await probe.ExpectMsgAsync<string>());
        Assert.False(probe.HasMessages);
    }

    [Fact]
    public void ExpectMsg_MessageArrives_ReturnsItAndRecordsTheSender()
    {
        var echo = NewEcho();
        Send(echo, "hi");
        Assert.Equal("hi", ExpectMsg<string>());
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void ExpectMsg_NothingArrives_FailsAfterTheDilatedTimeout()
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>(timeout: Short));
        Assert.Contains("Timeout", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed >= Dilated(Short) - TimeSpan.FromMilliseconds(20), $"failed after only {watch.Elapsed}");
    }

    [Fact]
    public void ExpectMsg_WrongType_Fails()
    {
        Send(NewEcho(), 42);
        Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>());
    }

    [Fact]
    public void ExpectMsg_PredicateNotMet_Fails()
    {
        Send(NewEcho(), "no");
        Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>(s => s == "yes"));
    }

    [Fact]
    public void ExpectMsg_DifferentValue_Fails()
    {
        Send(NewEcho(), "no");
        Assert.Throws<TestKitAssertionException>(() => ExpectMsg("yes"));
    }

    [Fact]
    public async Task ExpectMsgAsync_MessageArrives_ReturnsIt()
    {
        Send(NewEcho(), 7);
        Assert.Equal(7, await ExpectMsgAsync<int>());
        Send(NewEcho(), "x");
        Assert.Equal("x", await ExpectMsgAsync("x"));
    }

    [Fact]
    public void ExpectNoMsg_Quiet_PassesAfterTheDuration()
    {
        var watch = Stopwatch.StartNew();
        ExpectNoMsg(Short);
        Assert.True(watch.Elapsed >= Dilated(Short) - TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void ExpectNoMsg_MessageArrives_Fails()
    {
        Send(NewEcho(), "surprise");
        Assert.Throws<TestKitAssertionException>(() => ExpectNoMsg(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ReceiveN_EnoughMessages_ReturnsThemInOrder()
    {
        var echo = NewEcho();
        for (var i = 0; i < 5; i++)
        {
            Send(echo, i);
        }
        Assert.Equal(new object[] { 0, 1, 2, 3, 4 }, ReceiveN(5));
    }

    [Fact]
    public void ReceiveN_TooFewMessages_FailsSayingHowMany()
    {
        var echo = NewEcho();
        Send(echo, 1);
        Send(echo, 2);
        var error = Assert.Throws<TestKitAssertionException>(() => ReceiveN(3, Short));
        Assert.Contains("2 of 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveNAsync_EnoughMessages_ReturnsThem()
    {
        var echo = NewEcho();
        Send(echo, "a");
        Send(echo, "b");
        Assert.Equal(new object[] { "a", "b" }, await ReceiveNAsync(2));
    }

    [Fact]
    public void FishForMessage_SkipsUntilTheOne()
    {
        var echo = NewEcho();
        Send(echo, 1);
        Send(echo, "skip");
        Send(echo, "the one");
        Send(echo, "after");
        Assert.Equal("the one", FishForMessage(m => m is "the one"));
        ExpectMsg("after");
    }

    [Fact]
    public void FishForMessage_NeverMatches_FailsAfterTheTimeout()
    {
        Send(NewEcho(), "not it");
        Assert.Throws<TestKitAssertionException>(() => FishForMessage(m => m is "it", Short));
    }

    [Fact]
    public void Within_BlockFasterThanMin_Fails()
    {
        var error = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), () => { }));
        Assert.Contains("before the minimum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_BlockSlowerThanMax_Fails()
    {
        var error = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), () => ExpectNoMsg(Short)));
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_BlockInsideBounds_Passes()
    {
        var echo = NewEcho();
        Within(TimeSpan.Zero, TimeSpan.FromSeconds(3), () =>
        {
            Send(echo, "x");
            ExpectMsg("x");
        });
    }

    [Fact]
    public void Within_ExpectWithoutTimeoutInside_WaitsOnlyForTheRemainingTime()
    {
        var watch = Stopwatch.StartNew();
        Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.Zero, Short, () => ExpectMsg<string>()));
        // Without the Within deadline the expectation would wait the default 3 s.
        Assert.True(watch.Elapsed < Dilated(TimeSpan.FromSeconds(2)), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task WithinAsync_BlockInsideBounds_Passes()
    {
        var echo = NewEcho();
        await WithinAsync(TimeSpan.Zero, TimeSpan.FromSeconds(3), async () =>
        {
            Send(echo, "x");
            await ExpectMsgAsync("x");
        });
    }

    [Fact]
    public void ExpectTerminated_WatchedActorStops_ReturnsTerminated()
    {
        var echo = NewEcho();
        Watch(echo);
        Sys.Stop(echo);
        Assert.Equal(echo, ExpectTerminated(echo).ActorRef);
    }

    [Fact]
    public void Unwatch_ThenStop_NoTerminated()
    {
        var echo = NewEcho();
        Watch(echo);
        Unwatch(echo);
        Sys.Stop(echo);
        ExpectNoMsg(Short);
    }

    [Fact]
    public void Probe_SendReplyForward_UseTheRightSenders()
    {
        var probe = CreateTestProbe();
        var other = CreateTestProbe();
        var echo = NewEcho();
        probe.Send(echo, "ping");
        probe.ExpectMsg("ping");
        Assert.Equal(echo, probe.LastSender);
        Send(probe.Ref, "from test");
        probe.ExpectMsg("from test");
        probe.Reply("reply");
        ExpectMsg("reply");
        Assert.Equal(probe.Ref, LastSender);
        Send(probe.Ref, "again");
        probe.ExpectMsg("again");
        probe.Forward(other.Ref, "forwarded");
        other.ExpectMsg("forwarded");
        Assert.Equal(TestActor, other.LastSender);
    }

    [Fact]
    public void TestActor_TellFromTest_IsTheImplicitSender()
    {
        Send(NewEcho(), "back to me");
        ExpectMsg("back to me");
    }
}
