using System.Collections.Concurrent;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>
/// A fixed set of dedicated threads for blocking libc lookups, fed from one queue.
/// getaddrinfo and friends block on DNS; running them on the .NET thread pool would let a
/// slow nameserver starve every other actor. Continuations of <see cref="Run"/> run on the
/// pool thread that finished the call (one thread hop less per lookup), so they must be
/// short and must not block: the request actor's only tells the resolver.
/// </summary>
internal sealed class BlockingLookupPool : IDisposable
{
    private readonly BlockingCollection<WorkItem> _queue = [];
    private readonly Func<ResolutionRequest, ResolutionResult> _lookup;

    /// <summary>Starts <paramref name="concurrency"/> background threads running <paramref name="lookup"/>.</summary>
    public BlockingLookupPool(int concurrency, Func<ResolutionRequest, ResolutionResult> lookup, string name = "resolver")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _lookup = lookup;
        for (var i = 0; i < concurrency; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"{name}-{i}" }.Start();
        }
    }

    /// <summary>
    /// Queues a lookup; the task completes with its result or the exception it threw, or is
    /// cancelled without calling libc when <paramref name="abandoned"/> fires while it is
    /// still queued (behind threads stuck on a dead nameserver, say).
    /// </summary>
    public Task<ResolutionResult> Run(ResolutionRequest request, CancellationToken abandoned = default)
    {
        var completion = new TaskCompletionSource<ResolutionResult>();
        try
        {
            _queue.Add(new WorkItem(request, completion, abandoned));
        }
        catch (InvalidOperationException)
        {
            completion.SetException(new ObjectDisposedException(nameof(BlockingLookupPool)));
        }
        return completion.Task;
    }

    /// <summary>Stops taking work; threads finish the call they are in (possibly stuck in libc) and exit.</summary>
    public void Dispose() => _queue.CompleteAdding();

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            if (item.Abandoned.IsCancellationRequested)
            {
                item.Completion.SetCanceled(item.Abandoned);
                continue;
            }
            try
            {
                item.Completion.SetResult(_lookup(item.Request));
            }
#pragma warning disable CA1031 // Every failure, bug or not, belongs to the requester.
            catch (Exception e)
#pragma warning restore CA1031
            {
                item.Completion.SetException(e);
            }
        }
    }

    private sealed record WorkItem(ResolutionRequest Request, TaskCompletionSource<ResolutionResult> Completion, CancellationToken Abandoned);
}
