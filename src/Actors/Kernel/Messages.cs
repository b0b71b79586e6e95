namespace Agent.Actors.Kernel;

/// <summary>Marker for messages the kernel handles itself before the actor sees them.</summary>
public interface IAutoReceivedMessage
{
}

/// <summary>Messages that do not restart an actor's receive timeout.</summary>
public interface INotInfluenceReceiveTimeout
{
}

/// <summary>Stops the receiving actor once it reaches this message in its mailbox.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    private PoisonPill()
    {
    }

    /// <summary>The singleton.</summary>
    public static PoisonPill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<PoisonPill>";
}

/// <summary>Makes the receiving actor throw <see cref="ActorKilledException"/>, so its supervisor decides.</summary>
public sealed class Kill : IAutoReceivedMessage
{
    private Kill()
    {
    }

    /// <summary>The singleton.</summary>
    public static Kill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<Kill>";
}

/// <summary>Sent once to every watcher when a watched actor has stopped.</summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the actor was already gone when the watch was set.</param>
/// <param name="AddressTerminated">True when the actor's node was declared unreachable.</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated);

/// <summary>Sent to an actor that received no message for its receive timeout.</summary>
public sealed class ReceiveTimeout : INotInfluenceReceiveTimeout
{
    private ReceiveTimeout()
    {
    }

    /// <summary>The singleton.</summary>
    public static ReceiveTimeout Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Asks any actor for its ref; every actor answers with <see cref="ActorIdentity"/>.</summary>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage;

/// <summary>The answer to <see cref="Identify"/>; <c>Subject</c> is null when no actor lives at the path.</summary>
public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);

/// <summary>Generic success and failure replies, as in Akka.NET.</summary>
public static class Status
{
    /// <summary>A successful outcome with an optional value.</summary>
    public sealed record Success(object? Value);

    /// <summary>A failed outcome; <c>Ask</c> rethrows its cause.</summary>
    public sealed record Failure(Exception Cause);
}

/// <summary>A message that could not be delivered, published on the event stream.</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message an actor did not handle, published on the event stream.</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);
