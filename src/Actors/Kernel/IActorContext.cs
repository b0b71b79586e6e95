namespace Agent.Actors.Kernel;

/// <summary>What an actor can see and do while it handles a message.</summary>
public interface IActorContext
{
    /// <summary>The actor's own ref.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the current message (dead letters when there is none).</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor.</summary>
    IActorRef Parent { get; }

    /// <summary>The props the actor was created from.</summary>
    Props Props { get; }

    /// <summary>The live children.</summary>
    IEnumerable<IActorRef> Children { get; }

    /// <summary>The system the actor lives in.</summary>
    ActorSystem System { get; }

    /// <summary>The current receive timeout, if set.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>The child with that name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Creates a child; <paramref name="name"/> must be unique among live siblings.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child (or the actor itself) asynchronously.</summary>
    void Stop(IActorRef child);

    /// <summary>Delivers <see cref="Terminated"/> exactly once when <paramref name="subject"/> stops, also if it is already dead.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>As <see cref="Watch"/>, but delivers <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; a not yet handled <see cref="Terminated"/> for the subject is dropped.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behavior.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behavior on top of the current one.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behavior pushed last.</summary>
    void UnbecomeStacked();

    /// <summary>Sets (or with null clears) the idle time after which <see cref="Kernel.ReceiveTimeout"/> is sent.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>Selects actors by a path relative to this actor or absolute.</summary>
    ActorSelection ActorSelection(string path);

    /// <summary>A logger carrying this actor's path and system name.</summary>
    ILoggingAdapter GetLogger();
}

/// <summary>A behavior: returns true when it handled the message.</summary>
public delegate bool Receive(object message);
