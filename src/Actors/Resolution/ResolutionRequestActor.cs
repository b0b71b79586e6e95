using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Actors.Resolution;

/// <summary>
/// Owns one lookup, queued on the resolver's pool when the actor is created; the result or
/// Python failure goes from the pool thread straight to the resolver as one
/// <see cref="RequestCompleted"/> (one mailbox hop less per lookup). Stopping this actor abandons the call: a result that
/// arrives later is discarded. An unexpected exception from the lookup crashes this actor
/// only; the resolver answers for it when it sees the actor terminate.
/// </summary>
internal sealed class ResolutionRequestActor : ReceiveActor
{
    private readonly CancellationTokenSource _abandoned;

    private ResolutionRequestActor(CancellationTokenSource abandoned)
    {
        _abandoned = abandoned;
        Receive<LookupCrashed>(crashed =>
            throw new ResolutionCrashedException("lookup failed unexpectedly", crashed.Cause));
    }

    /// <summary>
    /// Creates the request actor as a child of the calling resolver and queues its lookup at
    /// once (not from the child's PreStart: one scheduling hop less before libc is called).
    /// Cancelling the returned source abandons the lookup, as stopping the actor does.
    /// </summary>
    public static (IActorRef Actor, CancellationTokenSource Abandon) Start(IActorContext context, string name, ResolutionRequest request, BlockingLookupPool pool)
    {
        var abandoned = new CancellationTokenSource();
        var self = context.ActorOf(FactoryProps.Of(() => new ResolutionRequestActor(abandoned)), name);
        var parent = context.Self;
        var token = abandoned.Token;
        pool.Run(request, token).ContinueWith(
            task =>
            {
                // A call that outlived its request (timeout, resolver stopping) is discarded,
                // and one still queued then is skipped (the task is cancelled).
                if (token.IsCancellationRequested || task.IsCanceled)
                {
                    return;
                }
                if (task.IsCompletedSuccessfully)
                {
                    parent.Tell(new RequestCompleted(request, new Resolved(request, task.Result)), self);
                }
                else if (task.Exception?.InnerException is PythonException python)
                {
                    parent.Tell(new RequestCompleted(request, new ResolutionFailed(request, python.Error)), self);
                }
                else
                {
                    self.Tell(new LookupCrashed(task.Exception!.InnerException!), ActorRefs.NoSender);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return (self, abandoned);
    }

    // Stopping abandons the call; the token source is not disposed because the pool
    // thread may still read its token.
    protected override void PostStop() => _abandoned.Cancel();

    private sealed record LookupCrashed(Exception Cause) : ISelfMessage;
}

/// <summary>From the pool (on behalf of a request actor) to the resolver: the one reply, <see cref="Resolved"/> or <see cref="ResolutionFailed"/>.</summary>
internal sealed record RequestCompleted(ResolutionRequest Request, object Reply) : ISelfMessage;
