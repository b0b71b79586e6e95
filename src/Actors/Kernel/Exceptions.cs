namespace Agent.Actors.Kernel;

/// <summary>Base of the kernel's own exceptions.</summary>
public class ActorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>An actor's constructor or <c>PreStart</c> threw; the default decider stops such an actor.</summary>
public sealed class ActorInitializationException : ActorException
{
    /// <summary>Creates the exception for the actor that failed to start.</summary>
    public ActorInitializationException(IActorRef? actor, string message, Exception? inner = null) : base(message, inner) => Actor = actor;

    /// <summary>The actor that failed to start, if known.</summary>
    public IActorRef? Actor { get; }
}

/// <summary>Thrown inside an actor that received <see cref="Kill"/>; the default decider stops it.</summary>
public sealed class ActorKilledException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException(string message) : base(message)
    {
    }
}

/// <summary>An actor did not handle the <see cref="Terminated"/> of an actor it watched; the default decider stops it.</summary>
public sealed class DeathPactException : ActorException
{
    /// <summary>Creates the exception naming the dead actor.</summary>
    public DeathPactException(IActorRef deadActor) : base($"Monitored actor [{deadActor}] terminated") => DeadActor = deadActor;

    /// <summary>The watched actor that died.</summary>
    public IActorRef DeadActor { get; }
}

/// <summary>An actor name is empty, reserved, malformed or already taken by a sibling.</summary>
public sealed class InvalidActorNameException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public InvalidActorNameException(string message) : base(message)
    {
    }
}

/// <summary>An <c>Ask</c> got no reply within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(string message) : base(message)
    {
    }
}

/// <summary>An actor selection resolved to no live actor.</summary>
public sealed class ActorNotFoundException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public ActorNotFoundException(string message) : base(message)
    {
    }
}
