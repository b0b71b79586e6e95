namespace Agent.Actors.Kernel;

/// <summary>Applies the directive to the failed child and all its siblings.</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy with retry limits.</summary>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, decider, loggingEnabled)
    {
    }

    /// <summary>Creates the strategy without retry limits.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    private protected override void ProcessRestart(ActorCell parent, LocalActorRef child, Exception cause)
    {
        var siblings = parent.ChildrenSnapshot();
        if (RequestRestart(parent, child))
        {
            foreach (var sibling in siblings)
            {
                if (!sibling.Cell.StoppingByParent)
                {
                    sibling.SendSystemMessage(new Recreate(cause));
                }
            }
        }
        else
        {
            ProcessStop(parent, child);
        }
    }

    private protected override void ProcessStop(ActorCell parent, LocalActorRef child)
    {
        foreach (var sibling in parent.ChildrenSnapshot())
        {
            parent.Stop(sibling);
        }
    }
}
