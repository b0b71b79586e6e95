using Agent.Actors.Kernel;

namespace Agent.Actors.Io;

/// <summary>
/// Where socket completions go: the owning actor, until it has stopped. Completions that land after
/// the actor released its socket (an accept or read cut short by the close) are expected and dropped
/// here instead of filling the dead-letter log.
/// </summary>
internal sealed class SelfMailbox(IActorRef self)
{
    private volatile bool _closed;

    /// <summary>Stops delivery; called from the actor's PostStop.</summary>
    public void Close() => _closed = true;

    /// <summary>
    /// Awaits a pending socket operation off the actor's turn and tells the actor its outcome:
    /// <paramref name="done"/> with the byte count, or <paramref name="failed"/> with the exception.
    /// Pass static lambdas so the hot path allocates nothing beyond the await itself.
    /// </summary>
    public async Task TellWhenCompleted(ValueTask<int> pending, Func<int, object> done, Func<Exception, object> failed)
    {
        try
        {
            Tell(done(await pending.ConfigureAwait(false)), ActorRefs.NoSender);
        }
        catch (Exception e)
        {
            Tell(failed(e), ActorRefs.NoSender);
        }
    }

    /// <summary>Tells the actor, unless it has stopped.</summary>
    public void Tell(object message, IActorRef? sender)
    {
        if (!_closed)
        {
            self.Tell(message, sender);
        }
    }
}
