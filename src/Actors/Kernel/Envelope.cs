namespace Agent.Actors.Kernel;

/// <summary>A queued message with its sender; also the node of the mailbox's linked queues.</summary>
internal sealed class Envelope(object message, IActorRef? sender)
{
    public object Message { get; } = message;

    public IActorRef? Sender { get; } = sender;

    public Envelope? Next;
}
