namespace Agent.Actors.Kernel;

/// <summary>
/// A handle to an actor: the only way to reach it. Safe to share between threads and
/// to put in messages; equal when the paths (and incarnations) are equal.
/// </summary>
public interface IActorRef : IEquatable<IActorRef>, IComparable<IActorRef>
{
    /// <summary>The actor's path.</summary>
    ActorPath Path { get; }

    /// <summary>Enqueues a message; never blocks and never throws for a dead actor (the message becomes a dead letter).</summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>Well-known refs.</summary>
public static class ActorRefs
{
    /// <summary>"No sender": replies go to dead letters.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>A ref that is never alive; messages to it are dropped as dead letters.</summary>
    public static IActorRef Nobody => Kernel.Nobody.Instance;
}

/// <summary>Conveniences every ref has.</summary>
public static class ActorRefExtensions
{
    /// <summary>Tells with the current actor (or no sender outside actors) as sender.</summary>
    public static void Tell(this IActorRef receiver, object message) =>
        receiver.Tell(message, ActorCell.Current?.Self);

    /// <summary>Tells with the current message's sender as sender, so the receiver replies to the original asker.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        var cell = ActorCell.Current ?? throw new InvalidOperationException("Forward can only be used inside an actor.");
        receiver.Tell(message, cell.Sender);
    }

    /// <summary>True for <see cref="ActorRefs.Nobody"/>.</summary>
    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || actorRef is Nobody;
}

/// <summary>Operations the kernel needs on every ref: system-message delivery and liveness.</summary>
internal interface IInternalActorRef : IActorRef
{
    bool IsTerminated { get; }

    void SendSystemMessage(SystemMessage message);
}

/// <summary>Shared equality and formatting for refs.</summary>
public abstract class ActorRefBase : IInternalActorRef
{
    /// <inheritdoc />
    public abstract ActorPath Path { get; }

    internal abstract bool IsTerminated { get; }

    bool IInternalActorRef.IsTerminated => IsTerminated;

    /// <inheritdoc />
    public abstract void Tell(object message, IActorRef? sender);

    internal abstract void SendSystemMessage(SystemMessage message);

    void IInternalActorRef.SendSystemMessage(SystemMessage message) => SendSystemMessage(message);

    /// <inheritdoc />
    public bool Equals(IActorRef? other) =>
        other is not null && (ReferenceEquals(this, other) || (Path.Uid == other.Path.Uid && Path.Equals(other.Path)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Path.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(IActorRef? other)
    {
        if (other is null)
        {
            return 1;
        }
        var byPath = Path.CompareTo(other.Path);
        return byPath != 0 ? byPath : Path.Uid.CompareTo(other.Path.Uid);
    }

    /// <inheritdoc />
    public override string ToString() => Path.Uid == 0 ? $"[{Path}]" : $"[{Path}#{Path.Uid}]";
}

/// <summary>The ref that is never alive.</summary>
internal sealed class Nobody : ActorRefBase
{
    private static readonly ActorPath NobodyPath = ActorPath.Root(new Address(Address.AgentProtocol, "all-systems")) / "Nobody";

    public static Nobody Instance { get; } = new();

    public override ActorPath Path => NobodyPath;

    internal override bool IsTerminated => true;

    public override void Tell(object message, IActorRef? sender)
    {
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, ExistenceConfirmed: false, AddressTerminated: false));
        }
    }
}
