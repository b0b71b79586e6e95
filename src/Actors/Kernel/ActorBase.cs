namespace Agent.Actors.Kernel;

/// <summary>
/// Base of every actor. Instances are created only by the kernel (through
/// <see cref="Props"/>); state is touched by one message at a time.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Binds the instance to the cell that is creating it.</summary>
    protected ActorBase()
    {
        _cell = ActorCell.Constructing
            ?? throw new ActorInitializationException(null, $"{GetType().Name} must be created through Props and ActorOf, not with 'new'.");
    }

    /// <summary>The actor's context.</summary>
    protected static IActorContext Context =>
        ActorCell.Current ?? throw new InvalidOperationException("There is no active actor context on this thread.");

    /// <summary>The actor's own ref.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the current message.</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    /// <summary>Handles one message; returns false when it did not.</summary>
    protected internal abstract bool Receive(object message);

    /// <summary>Called when a message was not handled: publishes it, or throws <see cref="DeathPactException"/> for a <see cref="Terminated"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }
        _cell.System.EventStream.Publish(new UnhandledMessage(message, _cell.Sender, _cell.Self));
    }

    internal void InvokeUnhandled(object message) => Unhandled(message);

    /// <summary>Runs before the first message, on the actor's own turn.</summary>
    protected internal virtual void PreStart()
    {
    }

    /// <summary>Runs after the actor has stopped; release owned resources here.</summary>
    protected internal virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before a restart. Default: stop all children, then <see cref="PostStop"/>.</summary>
    protected internal virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in _cell.Children)
        {
            _cell.Stop(child);
        }
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart. Default: <see cref="PreStart"/>.</summary>
    protected internal virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>The strategy for this actor's children; <see cref="Props.SupervisorStrategy"/> wins when set.</summary>
    protected internal virtual SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.DefaultStrategy;
}
