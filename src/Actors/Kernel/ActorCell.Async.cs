namespace Agent.Actors.Kernel;

/// <summary>
/// Async handlers: the mailbox holds further user messages until the handler's task
/// completes, and its continuations run as system messages inside the actor.
/// </summary>
internal sealed partial class ActorCell
{
    public void RunAsyncHandler(Func<Task> start)
    {
        var previous = SynchronizationContext.Current;
        var context = X.SyncContext ??= new ActorSynchronizationContext(this);
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = start();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            return;
        }
        _asyncPending = true;
        X.AsyncEnvelope = _current;
        task.ContinueWith(
            static (t, state) => ((ActorCell)state!).SendSystemMessage(new AsyncHandlerCompleted(t)),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void RunAsyncContinuation(RunContinuation continuation)
    {
        var previousContext = SynchronizationContext.Current;
        var previousEnvelope = _current;
        _current = _x?.AsyncEnvelope;
        SynchronizationContext.SetSynchronizationContext(_x?.SyncContext);
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
            _current = previousEnvelope;
        }
    }

    private void FinishAsyncHandler(Task task)
    {
        _asyncPending = false;
        var envelope = _x?.AsyncEnvelope;
        if (_x is not null)
        {
            _x.AsyncEnvelope = null;
        }
        if (task.IsFaulted || task.IsCanceled)
        {
            var previous = _current;
            _current = envelope;
            HandleInvokeFailure(task.Exception?.InnerException ?? new TaskCanceledException(task));
            _current = previous;
        }
    }
}

/// <summary>Posts continuations of an actor's async handler back into that actor.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => cell.SendSystemMessage(new RunContinuation(d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would deadlock; use Post.");

    public override SynchronizationContext CreateCopy() => this;
}
