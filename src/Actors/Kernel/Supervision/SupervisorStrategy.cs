namespace Agent.Actors.Kernel;

/// <summary>
/// Decides what happens to a child that threw. As in Akka.NET: a decider maps the
/// exception to a <see cref="Directive"/>, and restarts are limited to
/// <c>maxNrOfRetries</c> within <c>withinTimeRange</c> (-1 and infinite mean no limit),
/// after which the child is stopped.
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates the strategy.</summary>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNumberOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
        LoggingEnabled = loggingEnabled;
    }

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; -1 for no limit.</summary>
    public int MaxNumberOfRetries { get; }

    /// <summary>The window for <see cref="MaxNumberOfRetries"/>; infinite for no window.</summary>
    public TimeSpan WithinTimeRange { get; }

    /// <summary>Maps a failure to a directive.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>Whether failures are logged (errors for restart/stop, warnings for resume).</summary>
    public bool LoggingEnabled { get; }

    /// <summary>
    /// Akka's default decider: stop on <see cref="ActorInitializationException"/>,
    /// <see cref="ActorKilledException"/> and <see cref="DeathPactException"/>, restart otherwise.
    /// </summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, DefaultDecider);

    /// <summary>Stops every failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Applies the decided directive to the children it concerns; false means escalate.</summary>
    internal bool HandleFailure(ActorCell parent, LocalActorRef child, Exception cause)
    {
        var directive = Decider(cause);
        if (LoggingEnabled && directive != Directive.Escalate)
        {
            LogFailure(parent, child, cause, directive);
        }
        switch (directive)
        {
            case Directive.Resume:
                child.SendSystemMessage(new Resume(cause));
                return true;
            case Directive.Restart:
                ProcessRestart(parent, child, cause);
                return true;
            case Directive.Stop:
                ProcessStop(parent, child);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Restarts the affected children if the retry limits allow, else stops them.</summary>
    private protected abstract void ProcessRestart(ActorCell parent, LocalActorRef child, Exception cause);

    /// <summary>Stops the affected children.</summary>
    private protected abstract void ProcessStop(ActorCell parent, LocalActorRef child);

    private protected bool RequestRestart(ActorCell parent, LocalActorRef child) =>
        child.Cell.RestartStats.RequestRestartPermission(MaxNumberOfRetries, WithinTimeRange, parent.System.TimeProvider);

    private static void LogFailure(ActorCell parent, LocalActorRef child, Exception cause, Directive directive)
    {
        var log = parent.System.Logging.For(child.Path, child.Cell.Props.ActorType);
        if (directive == Directive.Resume)
        {
            log.Warning(cause, "{Path} failed ({Reason}); resuming", child.Path, cause.Message);
        }
        else
        {
            log.Error(cause, "{Path} failed ({Reason}); directive {Directive}", child.Path, cause.Message, directive);
        }
    }
}
