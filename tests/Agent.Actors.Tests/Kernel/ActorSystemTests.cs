using System.Collections.Concurrent;
using Serilog.Events;

namespace Agent.Actors.Tests.Kernel;

public sealed class ActorSystemTests(ITestOutputHelper output) : ActorTestKit(output)
{
    /// <summary>Builds a tree below itself and records its path in PostStop.</summary>
    private sealed class TreeNode : ReceiveActor
    {
        private readonly ConcurrentQueue<string> _stopped;

        public TreeNode(int depth, int fanout, ConcurrentQueue<string> stopped, CountdownEvent started)
        {
            _stopped = stopped;
            if (depth > 0)
            {
                for (var i = 0; i < fanout; i++)
                {
                    Context.ActorOf(Props.Create(() => new TreeNode(depth - 1, fanout, stopped, started)), $"n{i}");
                }
            }
            started.Signal();
        }

        protected internal override void PostStop() => _stopped.Enqueue(Self.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task Terminate_ActorTree_EveryPostStopRunsChildrenBeforeParents()
    {
        await using var system = ActorSystem.Create("tree");
        var stopped = new ConcurrentQueue<string>();
        const int Expected = 1 + 3 + 9 + 27;
        using var started = new CountdownEvent(Expected * 2);
        system.ActorOf(Props.Create(() => new TreeNode(3, 3, stopped, started)), "a");
        system.ActorOf(Props.Create(() => new TreeNode(3, 3, stopped, started)), "b");
        Assert.True(started.Wait(Dilated(TimeSpan.FromSeconds(5))));
        await system.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(5)));
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
        var order = stopped.ToList();
        Assert.Equal(Expected * 2, order.Count);
        Assert.Equal(order.Count, order.Distinct().Count());
        for (var i = 0; i < order.Count; i++)
        {
            var descendantsAfter = order.Skip(i + 1).Where(p => p.StartsWith(order[i] + "/", StringComparison.Ordinal)).ToList();
            Assert.True(descendantsAfter.Count == 0, $"{order[i]} stopped before its descendants {string.Join(", ", descendantsAfter)}");
        }
    }

    [Fact]
    public async Task Terminate_CalledTwice_CompletesBothAndWhenTerminated()
    {
        var system = ActorSystem.Create("twice");
        var first = system.Terminate();
        var second = system.Terminate();
        await Task.WhenAll(first, second).WaitAsync(Dilated(TimeSpan.FromSeconds(5)));
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ActorOf_AfterTerminate_Throws()
    {
        var system = ActorSystem.Create("after");
        await system.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(5)));
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create<Parent>()));
    }

    [Fact]
    public async Task Terminate_SystemActors_AreStoppedToo()
    {
        var system = ActorSystem.Create("sys-actors");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = system.SystemActorOf(Props.Create(() => new StopSignal(stopped)), "service");
        Assert.Equal("/system/service", service.Path.ToStringWithoutAddress());
        await system.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(5)));
        Assert.True(stopped.Task.IsCompleted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData("slash/name")]
    [InlineData("dot.name")]
    public void Create_InvalidSystemName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create(name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Settings_ThroughputBelowOne_Throws(int throughput) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorSystemSettings { Throughput = throughput });

    [Fact]
    public void Self_TopLevelActor_PathIsUnderUserWithAddressAndUid()
    {
        var actor = ActorOf(Props.Create<Parent>(), "top");
        Assert.Equal($"agent://{Sys.Name}/user/top", actor.Path.ToString());
        Assert.NotEqual(0, actor.Path.Uid);
        Assert.Equal(Sys.Address, actor.Path.Address);
        Assert.Equal("/user", actor.Path.Parent.ToStringWithoutAddress());
    }

    [Fact]
    public void Self_SystemWithHostAndPort_PathCarriesTheAddress()
    {
        using var system = ActorSystem.Create("node", new ActorSystemSettings { Host = "127.0.0.1", Port = 2552 });
        var actor = system.ActorOf(Props.Create<Parent>(), "a");
        Assert.Equal("agent://node@127.0.0.1:2552/user/a", actor.Path.ToString());
    }

    [Fact]
    public void ActorOf_SameNameTwice_ThrowsInvalidActorNameException()
    {
        ActorOf(Props.Create<Parent>(), "dup");
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<Parent>(), "dup"));
    }

    [Fact]
    public void ActorOf_NoName_GeneratesUniqueDollarNames()
    {
        var names = Enumerable.Range(0, 100).Select(_ => ActorOf(Props.Create<Parent>()).Path.Name).ToList();
        Assert.All(names, n => Assert.StartsWith("$", n, StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("$reserved")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("caf\u00e9")]
    public void ActorOf_InvalidName_ThrowsInvalidActorNameException(string name)
    {
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<Parent>(), name));
    }

    [Fact]
    public void ActorOf_NameLongerThan255_ThrowsInvalidActorNameException()
    {
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<Parent>(), new string('a', 256)));
        ActorOf(Props.Create<Parent>(), new string('a', 255));
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("with-dash_underscore.dot")]
    [InlineData("chars*+:@&=,!~';()")]
    [InlineData("0digits123")]
    public void ActorOf_ValidName_IsAccepted(string name)
    {
        Assert.Equal(name, ActorOf(Props.Create<Parent>(), name).Path.Name);
    }

    [Fact]
    public void ActorOf_NameOfAStoppedChild_CanBeReusedOnceItIsTerminated()
    {
        var parent = ActorOf(Props.Create(() => new Reuser()));
        Send(parent, "go");
        var (first, second) = ExpectMsg<(IActorRef, IActorRef)>();
        Assert.Equal(first.Path, second.Path);
        Assert.NotEqual(first.Path.Uid, second.Path.Uid);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Context_ChildrenAndChild_ListLiveChildrenAndNobodyForMissing()
    {
        var actor = ActorOf(Props.Create<ChildLister>());
        Send(actor, "list");
        var (children, found, missing) = ExpectMsg<(string[], IActorRef, IActorRef)>();
        Assert.Equal(["x", "y"], children.Order());
        Assert.Equal("y", found.Path.Name);
        Assert.True(missing.IsNobody());
    }

    [Fact]
    public void New_ActorOutsideProps_ThrowsActorInitializationException()
    {
        Assert.Throws<ActorInitializationException>(() => new Parent());
    }

    [Fact]
    public void PropsCreate_WithArguments_PassesThemToTheConstructor()
    {
        var actor = ActorOf(Props.Create<Greeter>("hello"));
        Send(actor, "world");
        ExpectMsg("hello world");
    }

    [Fact]
    public void Forward_ThroughAnotherActor_KeepsTheOriginalSender()
    {
        var target = ActorOf(Props.Create<Greeter>("hi"));
        var forwarder = ActorOf(Props.Create(() => new Forwarder(target)));
        Send(forwarder, "there");
        ExpectMsg("hi there");
        Assert.Equal(target, LastSender);
    }

    [Fact]
    public void Identify_AnyActor_AnswersWithItsRef()
    {
        var actor = ActorOf(Props.Create<Parent>());
        Send(actor, new Identify(7));
        Assert.Equal(new ActorIdentity(7, actor), ExpectMsg<ActorIdentity>());
    }

    [Fact]
    public void PoisonPill_Received_ActorStopsAfterEarlierMessages()
    {
        var actor = ActorOf(Props.Create<Greeter>("hi"));
        Watch(actor);
        Send(actor, "a");
        Send(actor, PoisonPill.Instance);
        ExpectMsg("hi a");
        ExpectTerminated(actor);
    }

    [Fact]
    public void GetLogger_InsideAnActor_EventsCarryActorPathAndSystemName()
    {
        var actor = ActorOf(Props.Create<Logger>(), "logger");
        Send(actor, "log me");
        var logged = Logs.ExpectLogged(LogEventLevel.Information, "log me");
        Assert.Equal($"\"{actor.Path}\"", logged.Properties["ActorPath"].ToString());
        Assert.Equal($"\"{Sys.Name}\"", logged.Properties["ActorSystem"].ToString());
    }

    [Fact]
    public void UnhandledMessage_ReceiveActor_IsPublishedOnTheEventStream()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = ActorOf(Props.Create<Greeter>("hi"));
        Send(actor, 42);
        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(TestActor, unhandled.Sender);
    }

    private sealed class StopSignal(TaskCompletionSource stopped) : ReceiveActor
    {
        protected internal override void PostStop() => stopped.TrySetResult();
    }

    private sealed class Greeter : ReceiveActor
    {
        public Greeter(string greeting) => Receive<string>(s => Sender.Tell($"{greeting} {s}"));
    }

    private sealed class Logger : ReceiveActor
    {
        public Logger() => Receive<string>(s => Context.GetLogger().Info("{Text}", s));
    }

    private sealed class Reuser : ReceiveActor
    {
        private IActorRef? _first;
        private IActorRef? _replyTo;

        public Reuser()
        {
            Receive<string>(_ =>
            {
                _replyTo = Sender;
                _first = Context.Watch(Context.ActorOf(Props.Create<Parent>(), "kid"));
                Context.Stop(_first);
            });
            Receive<Terminated>(_ => _replyTo!.Tell((_first!, Context.ActorOf(Props.Create<Parent>(), "kid"))));
        }
    }

    private sealed class ChildLister : ReceiveActor
    {
        public ChildLister()
        {
            Context.ActorOf(Props.Create<Parent>(), "x");
            Context.ActorOf(Props.Create<Parent>(), "y");
            Receive<string>(_ => Sender.Tell((Context.Children.Select(c => c.Path.Name).ToArray(), Context.Child("y"), Context.Child("z"))));
        }
    }
}
