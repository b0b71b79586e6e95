namespace Agent.Actors.Tests.Kernel;

public sealed class EventStreamTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private interface IEvent;

    private sealed record Started(string Name) : IEvent;

    private sealed record Stopped(string Name) : IEvent;

    [Fact]
    public void Subscribe_ExactType_ReceivesPublishedEventsOfThatTypeOnly()
    {
        Assert.True(Sys.EventStream.Subscribe(TestActor, typeof(Started)));
        Sys.EventStream.Publish(new Stopped("x"));
        Sys.EventStream.Publish(new Started("a"));
        ExpectMsg(new Started("a"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Subscribe_BaseType_ReceivesEveryAssignableEvent()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(IEvent));
        Sys.EventStream.Publish(new Started("a"));
        Sys.EventStream.Publish(new Stopped("a"));
        Sys.EventStream.Publish("not an event");
        ExpectMsg(new Started("a"));
        ExpectMsg(new Stopped("a"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Subscribe_Twice_ReturnsFalseAndDeliversOnce()
    {
        Assert.True(Sys.EventStream.Subscribe(TestActor, typeof(Started)));
        Assert.False(Sys.EventStream.Subscribe(TestActor, typeof(Started)));
        Sys.EventStream.Publish(new Started("a"));
        ExpectMsg(new Started("a"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Subscribe_TwoChannelsMatchingOneEvent_DeliversOncePerSubscription()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Started));
        Sys.EventStream.Subscribe(TestActor, typeof(IEvent));
        Sys.EventStream.Publish(new Started("a"));
        Assert.Equal(2, ReceiveN(2).Count);
    }

    [Fact]
    public void Unsubscribe_OneChannel_StopsOnlyThatChannel()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Started));
        Sys.EventStream.Subscribe(TestActor, typeof(Stopped));
        Assert.True(Sys.EventStream.Unsubscribe(TestActor, typeof(Started)));
        Assert.False(Sys.EventStream.Unsubscribe(TestActor, typeof(Started)));
        Sys.EventStream.Publish(new Started("a"));
        Sys.EventStream.Publish(new Stopped("a"));
        ExpectMsg(new Stopped("a"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Unsubscribe_All_StopsEveryChannel()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Started));
        Sys.EventStream.Subscribe(TestActor, typeof(Stopped));
        Assert.True(Sys.EventStream.Unsubscribe(TestActor));
        Sys.EventStream.Publish(new Started("a"));
        Sys.EventStream.Publish(new Stopped("a"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Publish_ManySubscribers_EachReceives()
    {
        var probes = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToList();
        foreach (var probe in probes)
        {
            Sys.EventStream.Subscribe(probe.Ref, typeof(Started));
        }
        Sys.EventStream.Publish(new Started("all"));
        foreach (var probe in probes)
        {
            probe.ExpectMsg(new Started("all"));
        }
    }

    [Fact]
    public async Task Subscribe_ConcurrentSubscribers_NoneIsLost()
    {
        var probes = Enumerable.Range(0, 32).Select(_ => CreateTestProbe()).ToList();
        await Task.WhenAll(probes.Select(p => Task.Run(() => Sys.EventStream.Subscribe(p.Ref, typeof(Started)))));
        Sys.EventStream.Publish(new Started("all"));
        foreach (var probe in probes)
        {
            probe.ExpectMsg(new Started("all"));
        }
    }
}
