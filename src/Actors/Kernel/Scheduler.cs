namespace Agent.Actors.Kernel;

/// <summary>Something scheduled that can be cancelled.</summary>
public interface ICancelable
{
    /// <summary>True once cancelled.</summary>
    bool IsCancellationRequested { get; }

    /// <summary>Cancels; a delivery already under way may still happen.</summary>
    void Cancel();
}

/// <summary>
/// Delayed and periodic message delivery on the system's <see cref="TimeProvider"/>
/// (so tests can drive time). Cancelled automatically when the system terminates.
/// </summary>
public sealed class Scheduler
{
    private readonly TimeProvider _time;
    private readonly HashSet<ScheduledItem> _live = [];
    private readonly Lock _gate = new();
    private bool _stopped;

    internal Scheduler(TimeProvider time) => _time = time;

    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender));

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        }
        return Schedule(initialDelay, interval, () => receiver.Tell(message, sender));
    }

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> on the thread pool.</summary>
    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Schedule(delay, Timeout.InfiniteTimeSpan, action);

    private ScheduledItem Schedule(TimeSpan delay, TimeSpan interval, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        var item = new ScheduledItem(this, action, interval == Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            if (_stopped)
            {
                item.MarkCancelled();
                return item;
            }
            _live.Add(item);
        }
        item.Start(_time, delay, interval);
        return item;
    }

    internal void Stop()
    {
        ScheduledItem[] items;
        lock (_gate)
        {
            _stopped = true;
            items = [.. _live];
            _live.Clear();
        }
        foreach (var item in items)
        {
            item.Cancel();
        }
    }

    private void Forget(ScheduledItem item)
    {
        lock (_gate)
        {
            _live.Remove(item);
        }
    }

    private sealed class ScheduledItem(Scheduler owner, Action action, bool once) : ICancelable
    {
        private ITimer? _timer;
        private int _cancelled;

        public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

        public void Start(TimeProvider time, TimeSpan delay, TimeSpan interval)
        {
            var timer = time.CreateTimer(static s => ((ScheduledItem)s!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer = timer;
            timer.Change(delay, interval);
            if (IsCancellationRequested)
            {
                timer.Dispose();
            }
        }

        private void Fire()
        {
            if (IsCancellationRequested)
            {
                return;
            }
            if (once)
            {
                MarkCancelled();
                _timer?.Dispose();
                owner.Forget(this);
            }
            action();
        }

        public void MarkCancelled() => Volatile.Write(ref _cancelled, 1);

        public void Cancel()
        {
            if (Interlocked.Exchange(ref _cancelled, 1) == 0)
            {
                _timer?.Dispose();
                owner.Forget(this);
            }
        }
    }
}
