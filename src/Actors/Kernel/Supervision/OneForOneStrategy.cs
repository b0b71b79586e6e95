namespace Agent.Actors.Kernel;

/// <summary>Applies the directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy with retry limits.</summary>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, decider, loggingEnabled)
    {
    }

    /// <summary>Creates the strategy without retry limits.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    private protected override void ProcessRestart(ActorCell parent, LocalActorRef child, Exception cause)
    {
        if (RequestRestart(parent, child))
        {
            child.SendSystemMessage(new Recreate(cause));
        }
        else
        {
            parent.Stop(child);
        }
    }

    private protected override void ProcessStop(ActorCell parent, LocalActorRef child) => parent.Stop(child);
}
