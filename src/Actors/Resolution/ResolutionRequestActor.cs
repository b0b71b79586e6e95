using Agent.Actors.Kernel;
using Agent.Messages;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>
/// Owns one lookup: queues it on the resolver's pool, answers the parent with exactly one
/// <see cref="RequestCompleted"/> (result, Python failure or timeout) and stops. An
/// unexpected exception from the lookup crashes this actor only; the resolver answers for it.
/// </summary>
internal sealed class ResolutionRequestActor : ReceiveActor, IWithTimers
{
    private readonly ResolutionRequest _request;
    private readonly BlockingLookupPool _pool;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _abandoned = new();

    public ResolutionRequestActor(ResolutionRequest request, BlockingLookupPool pool, TimeSpan timeout)
    {
        _request = request;
        _pool = pool;
        _timeout = timeout;
        Receive<LookupDone>(OnDone);
        Receive<TimeoutElapsed>(_ => Complete(new ResolutionFailed(_request,
            new PythonError(ResolutionFailed.TimeoutKind, null, $"lookup timed out after {_timeout.TotalMilliseconds:0} ms"))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected internal override void PreStart()
    {
        Timers.StartSingleTimer(TimeoutElapsed.Instance, TimeoutElapsed.Instance, _timeout);
        var self = Self;
        var abandoned = _abandoned.Token;
        _pool.Run(_request).ContinueWith(
            task =>
            {
                // A call that outlived its timeout is discarded, not sent to dead letters.
                if (!abandoned.IsCancellationRequested)
                {
                    self.Tell(new LookupDone(task), ActorRefs.NoSender);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    protected internal override void PostStop()
    {
        _abandoned.Cancel();
        _abandoned.Dispose();
    }

    private void OnDone(LookupDone done)
    {
        if (done.Task.IsCompletedSuccessfully)
        {
            Complete(new Resolved(_request, done.Task.Result));
            return;
        }
        var cause = done.Task.Exception!.InnerException!;
        if (cause is PythonException python)
        {
            Complete(new ResolutionFailed(_request, python.Error));
            return;
        }
        // Not a Python-level failure: a bug. Crash; the resolver replies on our Terminated.
        throw new ResolutionCrashedException($"lookup {_request} failed unexpectedly", cause);
    }

    private void Complete(object reply)
    {
        Context.Parent.Tell(new RequestCompleted(_request, reply), Self);
        Context.Stop(Self);
    }

    private sealed record LookupDone(Task<ResolutionResult> Task);

    private sealed class TimeoutElapsed
    {
        public static TimeoutElapsed Instance { get; } = new();
    }
}

/// <summary>From a request actor to its resolver: the one reply (<see cref="Resolved"/> or <see cref="ResolutionFailed"/>).</summary>
internal sealed record RequestCompleted(ResolutionRequest Request, object Reply);
