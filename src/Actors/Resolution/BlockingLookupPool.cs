using System.Collections.Concurrent;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>
/// At most a fixed number of dedicated threads for blocking libc lookups, fed from one queue.
/// getaddrinfo and friends block on DNS; running them on the .NET thread pool would let a
/// slow nameserver starve every other actor. Threads start when work finds none idle, so a
/// resolver that is never asked (every IO manager has one) holds no thread. Continuations of <see cref="Run"/> run on the
/// pool thread that finished the call (one thread hop less per lookup), so they must be
/// short and must not block: the request actor's only tells the resolver.
/// </summary>
internal sealed class BlockingLookupPool : IDisposable
{
    private readonly BlockingCollection<WorkItem> _queue = [];
    private readonly Func<ResolutionRequest, ResolutionResult> _lookup;
    private readonly int _concurrency;
    private readonly string _name;
    private int _threads;
    private int _idle;
    private int _queued;

    /// <summary>A pool of up to <paramref name="concurrency"/> background threads running <paramref name="lookup"/>.</summary>
    public BlockingLookupPool(int concurrency, Func<ResolutionRequest, ResolutionResult> lookup, string name = "resolver")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _lookup = lookup;
        _concurrency = concurrency;
        _name = name;
    }

    /// <summary>Threads started so far (never more than the concurrency).</summary>
    public int Threads => Volatile.Read(ref _threads);

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
            Interlocked.Increment(ref _queued);
            _queue.Add(new WorkItem(request, completion, abandoned));
            StartThreadsForQueuedWork();
        }
        catch (InvalidOperationException)
        {
            completion.SetException(new ObjectDisposedException(nameof(BlockingLookupPool)));
        }
        return completion.Task;
    }

    /// <summary>Stops taking work; threads finish the call they are in (possibly stuck in libc) and exit.</summary>
    public void Dispose() => _queue.CompleteAdding();

    // Queued work that no idle thread will take starts threads, up to the concurrency.
    private void StartThreadsForQueuedWork()
    {
        while (Volatile.Read(ref _queued) > Volatile.Read(ref _idle))
        {
            var threads = Volatile.Read(ref _threads);
            if (threads >= _concurrency)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _threads, threads + 1, threads) == threads)
            {
                Interlocked.Increment(ref _idle);
                new Thread(Work) { IsBackground = true, Name = $"{_name}-{threads}" }.Start();
            }
        }
    }

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            Interlocked.Decrement(ref _idle);
            Interlocked.Decrement(ref _queued);
            if (item.Abandoned.IsCancellationRequested)
            {
                Interlocked.Increment(ref _idle);
                item.Completion.SetCanceled(item.Abandoned);
                continue;
            }
            ResolutionResult? result = null;
            Exception? failure = null;
            try
            {
                result = _lookup(item.Request);
            }
#pragma warning disable CA1031 // Every failure, bug or not, belongs to the requester.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
            // Idle again before completing: the continuation runs on this thread and may queue the next lookup.
            Interlocked.Increment(ref _idle);
            if (failure is null)
            {
                item.Completion.SetResult(result!);
            }
            else
            {
                item.Completion.SetException(failure);
            }
        }
    }

    private sealed record WorkItem(ResolutionRequest Request, TaskCompletionSource<ResolutionResult> Completion, CancellationToken Abandoned);
}
