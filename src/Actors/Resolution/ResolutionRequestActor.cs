using Agent.Actors.Kernel;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>
/// Owns one lookup: queues it on the resolver's pool; the result or Python failure goes
/// from the pool thread straight to the resolver as one <see cref="RequestCompleted"/>
/// (one mailbox hop less per lookup). Stopping this actor abandons the call: a result that
/// arrives later is discarded. An unexpected exception from the lookup crashes this actor
/// only; the resolver answers for it when it sees the actor terminate.
/// </summary>
internal sealed class ResolutionRequestActor : ReceiveActor
{
    private readonly ResolutionRequest _request;
    private readonly BlockingLookupPool _pool;
    private readonly CancellationTokenSource _abandoned = new();

    public ResolutionRequestActor(ResolutionRequest request, BlockingLookupPool pool)
    {
        _request = request;
        _pool = pool;
        Receive<LookupCrashed>(crashed =>
            throw new ResolutionCrashedException("lookup failed unexpectedly", crashed.Cause));
    }

    protected internal override void PreStart()
    {
        var self = Self;
        var parent = Context.Parent;
        var request = _request;
        var abandoned = _abandoned.Token;
        _pool.Run(_request).ContinueWith(
            task =>
            {
                // A call that outlived its request (timeout, resolver stopping) is discarded.
                if (abandoned.IsCancellationRequested)
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
    }

    protected internal override void PostStop()
    {
        _abandoned.Cancel();
        _abandoned.Dispose();
    }

    private sealed record LookupCrashed(Exception Cause);
}

/// <summary>From the pool (on behalf of a request actor) to the resolver: the one reply, <see cref="Resolved"/> or <see cref="ResolutionFailed"/>.</summary>
internal sealed record RequestCompleted(ResolutionRequest Request, object Reply);
