namespace Agent.Actors.Kernel;

/// <summary>
/// Messages the kernel sends between cells; they bypass the user queue and are processed
/// before any user message, also while the actor is suspended.
/// </summary>
internal abstract record SystemMessage;

internal sealed record Create : SystemMessage
{
    public static Create Instance { get; } = new();
}

internal sealed record Terminate : SystemMessage
{
    public static Terminate Instance { get; } = new();
}

internal sealed record Suspend : SystemMessage
{
    public static Suspend Instance { get; } = new();
}

internal sealed record Resume(Exception? CausedByFailure) : SystemMessage;

internal sealed record Recreate(Exception Cause) : SystemMessage;

internal sealed record Failed(IInternalActorRef Child, Exception Cause, long Uid) : SystemMessage;

internal sealed record Watch(IInternalActorRef Watchee, IInternalActorRef Watcher) : SystemMessage;

internal sealed record Unwatch(IInternalActorRef Watchee, IInternalActorRef Watcher) : SystemMessage;

internal sealed record DeathWatchNotification(IActorRef Actor, bool ExistenceConfirmed, bool AddressTerminated) : SystemMessage;

/// <summary>A continuation of an async handler, run inside the actor.</summary>
internal sealed record RunContinuation(SendOrPostCallback Callback, object? State) : SystemMessage;

/// <summary>The task an async handler returned has completed; user messages may flow again.</summary>
internal sealed record AsyncHandlerCompleted(Task Task) : SystemMessage;
