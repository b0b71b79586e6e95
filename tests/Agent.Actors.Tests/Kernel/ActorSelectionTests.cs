namespace Agent.Actors.Tests.Kernel;

public sealed class ActorSelectionTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed class Echo : ReceiveActor
    {
        public Echo()
        {
            Receive<string>(s => Sender.Tell($"{Self.Path.Name}:{s}"));
            Receive<(string Path, string Message)>(m => Context.ActorSelection(m.Path).Tell(m.Message, Sender));
            Receive<CreateChild>(c => Sender.Tell(Context.ActorOf(c.Props, c.Name)));
        }
    }

    private IActorRef NewEcho(string name) => ActorOf(Props.Create<Echo>(), name);

    [Fact]
    public void Tell_AbsolutePath_ReachesTheActorWithTheSender()
    {
        NewEcho("a");
        Sys.ActorSelection("/user/a").Tell("hi", TestActor);
        ExpectMsg("a:hi");
    }

    [Fact]
    public void Tell_FullPathWithAddress_ReachesTheActor()
    {
        var a = NewEcho("a");
        Sys.ActorSelection(a.Path.ToString()).Tell("hi", TestActor);
        ExpectMsg("a:hi");
    }

    [Fact]
    public async Task Tell_NestedPath_ReachesTheGrandchild()
    {
        var a = NewEcho("a");
        await a.Ask<IActorRef>(new CreateChild(Props.Create<Echo>(), "b"), Dilated(TimeSpan.FromSeconds(3)));
        Sys.ActorSelection("/user/a/b").Tell("hi", TestActor);
        ExpectMsg("b:hi");
    }

    [Fact]
    public async Task Tell_RelativeFromAnActor_ReachesSiblingAndChild()
    {
        var a = NewEcho("a");
        NewEcho("sibling");
        await a.Ask<IActorRef>(new CreateChild(Props.Create<Echo>(), "kid"), Dilated(TimeSpan.FromSeconds(3)));
        Send(a, ("../sibling", "x"));
        ExpectMsg("sibling:x");
        Send(a, ("kid", "y"));
        ExpectMsg("kid:y");
        Send(a, ("./kid", "z"));
        ExpectMsg("kid:z");
    }

    [Fact]
    public void Tell_NoActorAtPath_BecomesADeadLetter()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.ActorSelection("/user/missing").Tell("lost", TestActor);
        Assert.Equal("lost", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void Tell_OtherSystemsAddress_BecomesADeadLetter()
    {
        NewEcho("a");
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.ActorSelection("agent://elsewhere@10.0.0.9:1/user/a").Tell("lost", TestActor);
        Assert.Equal("lost", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public async Task ResolveOne_LiveActor_ReturnsItsRef()
    {
        var a = NewEcho("a");
        Assert.Equal(a, await Sys.ActorSelection("/user/a").ResolveOne());
    }

    [Fact]
    public async Task ResolveOne_StoppedOrMissingActor_ThrowsActorNotFoundException()
    {
        var a = NewEcho("a");
        Watch(a);
        Sys.Stop(a);
        ExpectTerminated(a);
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/a").ResolveOne());
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/never").ResolveOne());
    }

    [Fact]
    public void Identify_ThroughASelection_AnswersWithTheRef()
    {
        var a = NewEcho("a");
        Sys.ActorSelection("/user/a").Tell(new Identify("id"), TestActor);
        Assert.Equal(new ActorIdentity("id", a), ExpectMsg<ActorIdentity>());
    }

    [Fact]
    public void Tell_SelectionResolvedOnEverySend_ReachesTheNewIncarnation()
    {
        var selection = Sys.ActorSelection("/user/a");
        var first = NewEcho("a");
        selection.Tell("1", TestActor);
        ExpectMsg("a:1");
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        AwaitAssert(() => NewEcho("a"));
        selection.Tell("2", TestActor);
        ExpectMsg("a:2");
        Assert.NotEqual(first, LastSender);
    }
}
