using System.Reflection;

namespace Agent.Actors.Tests.Kernel;

public sealed class DeathWatchTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record WatchIt(IActorRef Target, object? Custom = null);

    private sealed record UnwatchIt(IActorRef Target);

    private sealed record Gone(string Why);

    /// <summary>Watches on request and reports every other message (with its sender) to the probe.</summary>
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe)
        {
            Receive<WatchIt>(w =>
            {
                if (w.Custom is null)
                {
                    Context.Watch(w.Target);
                }
                else
                {
                    Context.WatchWith(w.Target, w.Custom);
                }
                Sender.Tell("watching");
            });
            Receive<UnwatchIt>(u =>
            {
                Context.Unwatch(u.Target);
                Sender.Tell("unwatched");
            });
            Receive<Block>(b =>
            {
                Sender.Tell(new Blocked());
                b.Gate.Wait();
            });
            ReceiveAny(m => probe.Tell((m, Sender)));
        }
    }

    private (IActorRef Watcher, TestProbe Events) NewWatcher()
    {
        var events = CreateTestProbe();
        return (ActorOf(Props.Create(() => new Watcher(events.Ref))), events);
    }

    private IActorRef NewTarget() => ActorOf(HookActor.PropsFor(CreateTestProbe().Ref));

    [Fact]
    public void Watch_TargetStops_TerminatedDeliveredOnceWithTheDeadActorAsSender()
    {
        var (watcher, events) = NewWatcher();
        var target = NewTarget();
        Send(watcher, new WatchIt(target));
        ExpectMsg("watching");
        Sys.Stop(target);
        var (message, sender) = events.ExpectMsg<(object, IActorRef)>();
        var terminated = Assert.IsType<Terminated>(message);
        Assert.Equal(target, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
        Assert.Equal(target, sender);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_WatchedTwice_TerminatedExactlyOnce()
    {
        var (watcher, events) = NewWatcher();
        var target = NewTarget();
        Send(watcher, new WatchIt(target));
        Send(watcher, new WatchIt(target));
        ExpectMsg("watching");
        ExpectMsg("watching");
        Sys.Stop(target);
        events.ExpectMsg<(object, IActorRef)>(e => e.Item1 is Terminated);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_ParentWatchesItsChild_TerminatedExactlyOnce()
    {
        var events = CreateTestProbe();
        var parent = ActorOf(Props.Create(() => new WatchingParent(events.Ref)));
        Send(parent, "stop-child");
        events.ExpectMsg<Terminated>();
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_AlreadyDeadActor_YieldsTerminatedWithExistenceNotConfirmed()
    {
        var (watcher, events) = NewWatcher();
        var target = NewTarget();
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        Send(watcher, new WatchIt(target));
        ExpectMsg("watching");
        var (message, _) = events.ExpectMsg<(object, IActorRef)>();
        var terminated = Assert.IsType<Terminated>(message);
        Assert.Equal(target, terminated.ActorRef);
        Assert.False(terminated.ExistenceConfirmed);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_Nobody_YieldsTerminated()
    {
        var (watcher, events) = NewWatcher();
        Send(watcher, new WatchIt(ActorRefs.Nobody));
        ExpectMsg("watching");
        events.ExpectMsg<(object, IActorRef)>(e => e.Item1 is Terminated t && t.ActorRef.IsNobody());
    }

    [Fact]
    public void Unwatch_BeforeTheTargetStops_NoTerminated()
    {
        var (watcher, events) = NewWatcher();
        var target = NewTarget();
        Send(watcher, new WatchIt(target));
        ExpectMsg("watching");
        Send(watcher, new UnwatchIt(target));
        ExpectMsg("unwatched");
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Unwatch_TerminatedAlreadyQueued_TerminatedIsDropped()
    {
        var (watcher, events) = NewWatcher();
        var target = NewTarget();
        // The watcher's watch reaches the target before the test's, so it is notified first.
        Send(watcher, new WatchIt(target));
        ExpectMsg("watching");
        Watch(target);
        using var gate = new ManualResetEventSlim();
        Send(watcher, new Block(gate));
        ExpectMsg<Blocked>();
        Send(watcher, new UnwatchIt(target));
        Sys.Stop(target);
        ExpectTerminated(target);
        // The notification is now waiting in the watcher's system queue; once unblocked, its
        // Terminated is queued behind the UnwatchIt, which must drop it.
        gate.Set();
        ExpectMsg("unwatched");
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void WatchWith_TargetStops_DeliversTheCustomMessageInsteadOfTerminated()
    {
        var (watcher, events) = NewWatcher();
        var target = NewTarget();
        Send(watcher, new WatchIt(target, new Gone("target")));
        ExpectMsg("watching");
        Sys.Stop(target);
        events.ExpectMsg<(object, IActorRef)>(e => Equals(e.Item1, new Gone("target")));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_WatcherStopsFirst_TargetStopsLaterWithoutNotifyingIt()
    {
        var (watcher, _) = NewWatcher();
        var target = NewTarget();
        Send(watcher, new WatchIt(target));
        ExpectMsg("watching");
        // The watch reaches the target after the reply; seeing it also proves WatchersOf reads the right set.
        AwaitCondition(() => WatchersOf(target)?.SequenceEqual([watcher]) == true);
        Watch(watcher);
        Sys.Stop(watcher);
        ExpectTerminated(watcher);
        // A notification to a dead watcher is dropped without a trace: only the target's watcher set shows that
        // the stopping watcher unwatched it. (The unwatch leaves after the watcher's own Terminated.)
        AwaitCondition(() => WatchersOf(target)?.Length == 0);
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
    }

    /// <summary>
    /// The actors <paramref name="actor"/> notifies when it stops, copied from its cell's private state: the kernel
    /// has no internal accessor for it. A renamed field fails here, loudly. The set belongs to the actor's thread:
    /// a read that overlaps its update returns null, and the caller's AwaitCondition reads again.
    /// </summary>
    private static IActorRef[]? WatchersOf(IActorRef actor)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var extras = typeof(ActorCell).GetField("_x", Private)!.GetValue(((LocalActorRef)actor).Cell);
        if (extras is null)
        {
            return [];
        }
        var watchedBy = (HashSet<IActorRef>?)extras.GetType().GetField("WatchedBy", BindingFlags.Public | BindingFlags.Instance)!.GetValue(extras);
        try
        {
            return watchedBy is null ? [] : [.. watchedBy];
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [Fact]
    public void Watch_TargetRestarts_NoTerminated()
    {
        var (watcher, events) = NewWatcher();
        var target = NewTarget();
        Send(watcher, new WatchIt(target));
        ExpectMsg("watching");
        Send(target, new Fail(new InvalidOperationException("restart me")));
        Send(target, "who");
        ExpectMsg(("who", 2));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watch_ManyWatchers_EachGetsExactlyOneTerminated()
    {
        var target = NewTarget();
        var watchers = Enumerable.Range(0, 10).Select(_ => NewWatcher()).ToList();
        foreach (var (watcher, _) in watchers)
        {
            Send(watcher, new WatchIt(target));
            ExpectMsg("watching");
        }
        Sys.Stop(target);
        foreach (var (_, events) in watchers)
        {
            events.ExpectMsg<(object, IActorRef)>(e => e.Item1 is Terminated);
        }
        foreach (var (_, events) in watchers)
        {
            events.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        }
    }

    private sealed class WatchingParent : ReceiveActor
    {
        public WatchingParent(IActorRef events)
        {
            var child = Context.Watch(Context.ActorOf(Props.Create<Parent>(), "child"));
            Receive<string>(_ => Context.Stop(child));
            Receive<Terminated>(t => events.Tell(t));
        }
    }
}
