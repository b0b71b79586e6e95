namespace Agent.Actors.Tests.Kernel;

/// <summary>Creates children on request, so a test chooses the supervisor strategy through the parent's props.</summary>
internal sealed class Parent : ReceiveActor
{
    public Parent()
    {
        Receive<CreateChild>(c => Sender.Tell(c.Name is null ? Context.ActorOf(c.Props) : Context.ActorOf(c.Props, c.Name)));
    }

    public static async Task<IActorRef> Spawn(IActorRef parent, Props child, string? name = null) =>
        await parent.Ask<IActorRef>(new CreateChild(child, name), TimeSpan.FromSeconds(3 * TestKitSettings.TimeFactor));
}

/// <summary>Asks a <see cref="Parent"/> for a child.</summary>
internal sealed record CreateChild(Props Props, string? Name = null);

/// <summary>Makes the receiving actor throw the exception.</summary>
internal sealed record Fail(Exception Cause);

/// <summary>Makes the receiving actor block until the gate opens; it tells <c>Blocked</c> to the sender first.</summary>
internal sealed record Block(ManualResetEventSlim Gate);

/// <summary>Sent by an actor that is now blocked in its handler.</summary>
internal sealed record Blocked;

/// <summary>A lifecycle event of an instance, numbered by construction order.</summary>
internal sealed record Hook(string Name, int Instance);

/// <summary>
/// An actor that reports every lifecycle hook (with its instance number) to a probe,
/// counts "inc" messages, answers "get" with the count, and answers other strings with
/// (text, instance).
/// </summary>
internal sealed class HookActor : ReceiveActor
{
    private readonly IActorRef _probe;
    private readonly int _instance;
    private int _count;

    public HookActor(IActorRef probe, StrongBox<int> instances)
    {
        _probe = probe;
        _instance = Interlocked.Increment(ref instances.Value);
        _probe.Tell(new Hook("ctor", _instance), ActorRefs.NoSender);
        Receive<string>(_ => _count++, s => s == "inc");
        Receive<string>(_ => Sender.Tell(_count), s => s == "get");
        Receive<string>(s => Sender.Tell((s, _instance)));
        Receive<Fail>(f => throw f.Cause);
        Receive<Block>(b =>
        {
            Sender.Tell(new Blocked());
            b.Gate.Wait();
        });
    }

    protected internal override void PreStart() => _probe.Tell(new Hook("PreStart", _instance), ActorRefs.NoSender);

    protected internal override void PostStop() => _probe.Tell(new Hook("PostStop", _instance), ActorRefs.NoSender);

    protected internal override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell(new Hook("PreRestart", _instance), ActorRefs.NoSender);
        base.PreRestart(reason, message);
    }

    protected internal override void PostRestart(Exception reason)
    {
        _probe.Tell(new Hook("PostRestart", _instance), ActorRefs.NoSender);
        base.PostRestart(reason);
    }

    public static Props PropsFor(IActorRef probe, StrongBox<int>? instances = null)
    {
        var box = instances ?? new StrongBox<int>();
        return Props.Create(() => new HookActor(probe, box));
    }
}

/// <summary>Questions a test asks a <see cref="BackoffSupervisor"/>.</summary>
internal static class BackoffSupervisorQueries
{
    /// <summary>The restart count; the question queues behind everything sent to the supervisor before it.</summary>
    public static int RestartCount(this IActorRef supervisor)
    {
        // The deadline runs on wall time: an ask timeout runs on the system's clock, which a test may move by hand.
        using var deadline = new CancellationTokenSource(TestKitSettings.Dilated(TestKitSettings.DefaultSingleExpect));
        return supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, Timeout.InfiniteTimeSpan, deadline.Token)
            .GetAwaiter().GetResult().Count;
    }
}

/// <summary>Forwards every message to a target, keeping the sender.</summary>
internal sealed class Forwarder(IActorRef target) : UntypedActor
{
    protected override void OnReceive(object message) => target.Forward(message);
}
