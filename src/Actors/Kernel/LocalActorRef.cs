namespace Agent.Actors.Kernel;

/// <summary>The ref of an actor in this process.</summary>
internal sealed class LocalActorRef(ActorCell cell, ActorPath path) : ActorRefBase
{
    public ActorCell Cell { get; } = cell;

    public override ActorPath Path { get; } = path;

    internal override bool IsTerminated => Cell.IsTerminated;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, sender);
    }

    internal override void SendSystemMessage(SystemMessage message) => Cell.SendSystemMessage(message);
}
