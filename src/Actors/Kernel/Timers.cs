namespace Agent.Actors.Kernel;

/// <summary>Actors that implement this get keyed timers, cancelled when the actor stops or restarts.</summary>
public interface IWithTimers
{
    /// <summary>Set by the kernel before the first message.</summary>
    ITimerScheduler Timers { get; set; }
}

/// <summary>
/// Keyed timers of one actor. Starting a timer with a key that is in use replaces it;
/// a message of a cancelled or replaced timer that is already queued is not delivered.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to self once after <paramref name="delay"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan delay);

    /// <summary>Sends <paramref name="message"/> to self every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    /// <summary>Sends <paramref name="message"/> to self after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>True when a timer with that key is running.</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with that key, if any.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer.</summary>
    void CancelAll();
}

/// <summary>The kernel's <see cref="ITimerScheduler"/>: only the owning actor's thread calls it.</summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, Entry> _timers = [];
    private int _generation;

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval) =>
        Start(key, message, initialDelay, interval);

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Task.Cancel();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Task.Cancel();
        }
        _timers.Clear();
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var generation = ++_generation;
        var once = interval == Timeout.InfiniteTimeSpan;
        var timerMessage = new TimerMessage(key, generation, message);
        var scheduler = cell.System.Scheduler;
        var task = once
            ? scheduler.ScheduleTellOnce(delay, cell.Self, timerMessage, null)
            : scheduler.ScheduleTellRepeatedly(delay, interval, cell.Self, timerMessage, null);
        _timers[key] = new Entry(generation, once, task);
    }

    /// <summary>True when the timer message is still current; a single timer is then forgotten.</summary>
    public bool Accept(TimerMessage message)
    {
        if (!_timers.TryGetValue(message.Key, out var entry) || entry.Generation != message.Generation)
        {
            return false;
        }
        if (entry.Once)
        {
            _timers.Remove(message.Key);
        }
        return true;
    }

    private sealed record Entry(int Generation, bool Once, ICancelable Task);

    internal sealed record TimerMessage(object Key, int Generation, object Message) : IAutoReceivedMessage;
}
