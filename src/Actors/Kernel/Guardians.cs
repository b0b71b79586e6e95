namespace Agent.Actors.Kernel;

/// <summary>
/// The root guardian: parent of /user and /system. When /user stops it stops /system,
/// and when /system stops it stops itself, which ends the actor system.
/// </summary>
internal sealed class RootGuardian : ActorBase
{
    private readonly SupervisorStrategy _guardianStrategy;
    private IActorRef? _user;
    private IActorRef? _system;

    public RootGuardian(SupervisorStrategy guardianStrategy) => _guardianStrategy = guardianStrategy;

    protected internal override void PreStart()
    {
        var cell = Cell;
        _user = cell.AttachChild(Props.FromFactory(() => new Guardian()).WithSupervisorStrategy(_guardianStrategy), "user", isSystemName: true);
        _system = cell.AttachChild(Props.FromFactory(() => new Guardian()), "system", isSystemName: true);
        cell.Watch(_user);
        cell.Watch(_system);
    }

    protected internal override bool Receive(object message)
    {
        if (message is not Terminated terminated)
        {
            return false;
        }
        if (terminated.ActorRef.Equals(_user))
        {
            Cell.Stop(_system!);
        }
        else if (terminated.ActorRef.Equals(_system))
        {
            Cell.Stop(Self);
        }
        return true;
    }

    protected internal override SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.StoppingStrategy;
}

/// <summary>The /user and /system guardians: they only supervise.</summary>
internal sealed class Guardian : ActorBase
{
    protected internal override bool Receive(object message) => false;
}

/// <summary>
/// The parent of the root guardian: it ends the system when the root stops, and stops the
/// root if the root ever fails.
/// </summary>
internal sealed class SystemTerminationSink(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    internal override bool IsTerminated => false;

    public override void Tell(object message, IActorRef? sender)
    {
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Failed failed:
                failed.Child.SendSystemMessage(Terminate.Instance);
                break;
            case DeathWatchNotification:
                system.OnRootTerminated();
                break;
        }
    }
}
