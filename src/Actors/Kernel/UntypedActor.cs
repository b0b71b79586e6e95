namespace Agent.Actors.Kernel;

/// <summary>An actor with one <see cref="OnReceive"/> method; it calls <see cref="ActorBase.Unhandled"/> itself for what it does not handle.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Handles a message.</summary>
    protected abstract void OnReceive(object message);

    /// <inheritdoc />
    protected internal sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces the behavior with <paramref name="receive"/>.</summary>
    protected static void Become(Action<object> receive) => Context.Become(Wrap(receive));

    /// <summary>Pushes <paramref name="receive"/> on top of the current behavior.</summary>
    protected static void BecomeStacked(Action<object> receive) => Context.BecomeStacked(Wrap(receive));

    /// <summary>Pops the behavior pushed last.</summary>
    protected static void UnbecomeStacked() => Context.UnbecomeStacked();

    private static Receive Wrap(Action<object> receive) => message =>
    {
        receive(message);
        return true;
    };
}
