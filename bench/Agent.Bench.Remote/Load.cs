using System.Diagnostics;

namespace Agent.Bench.Remote;

/// <summary>
/// One measurement's requests: <see cref="Slots"/> requests always in flight, each answer counted (ok or failed) and
/// its round trip recorded while <see cref="Measuring"/>. The phases move forward only: warm-up, measuring, stopping;
/// once stopping, each slot finishes the request it has in flight, starts no other and calls <see cref="SlotDone"/>.
/// Shared by the remote bench (lookups from node A to node B) and the checks bench (linked into it: the probing
/// node's slot actors, and the driver's HTTP clients of blackbox_exporter).
/// </summary>
internal sealed class Load
{
    private const int WarmingUp = 0;
    private const int MeasuringPhase = 1;
    private const int StoppingPhase = 2;

    private readonly List<long>[] _latencies;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _phase = WarmingUp;
    private int _running;
    private long _ok;
    private long _failed;
    private long _failedMeasured;
    private string? _firstFailure;

    public Load(int slots)
    {
        _running = slots;
        _latencies = [.. Enumerable.Range(0, slots).Select(_ => new List<long>(1 << 14))];
    }

    /// <summary>Requests kept in flight.</summary>
    public int Slots => _latencies.Length;

    /// <summary>True while answers are counted.</summary>
    public bool Measuring => _phase == MeasuringPhase;

    /// <summary>True once no slot may start another request.</summary>
    public bool Stopping => _phase == StoppingPhase;

    /// <summary>Ok answers inside the measured window.</summary>
    public long Ok => Interlocked.Read(ref _ok);

    /// <summary>Failed answers inside the measured window.</summary>
    public long FailedMeasured => Interlocked.Read(ref _failedMeasured);

    /// <summary>Failed answers at any phase (warm-up and drain included).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>What the first failed answer said.</summary>
    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    /// <summary>Completes when every slot has had its last answer after <see cref="Stop"/>.</summary>
    public Task Drained => _drained.Task;

    public void StartMeasuring() => _phase = MeasuringPhase;

    public void Stop() => _phase = StoppingPhase;

    /// <summary>A slot's answer came <paramref name="ticks"/> (Stopwatch ticks) after its request; <paramref name="failure"/> says what was wrong with it, null when ok.</summary>
    public void Record(int slot, long ticks, string? failure)
    {
        var measuring = _phase == MeasuringPhase;
        if (failure is not null)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstFailure, failure, null);
        }
        if (!measuring)
        {
            return;
        }
        Interlocked.Increment(ref failure is null ? ref _ok : ref _failedMeasured);
        _latencies[slot].Add(ticks);
    }

    /// <summary>A slot has had the answer to its last request.</summary>
    public void SlotDone()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Every recorded round trip in Stopwatch ticks, sorted; only to be read after <see cref="Drained"/>.</summary>
    public long[] Latencies()
    {
        long[] all = [.. _latencies.SelectMany(l => l)];
        Array.Sort(all);
        return all;
    }

    /// <summary>The median and 99th percentile round trip in microseconds; only to be read after <see cref="Drained"/>.</summary>
    public (double P50Us, double P99Us) Percentiles()
    {
        var all = Latencies();
        return (Stats.Microseconds(Stats.Percentile(all, 0.50)), Stats.Microseconds(Stats.Percentile(all, 0.99)));
    }
}

/// <summary>Medians and percentiles.</summary>
internal static class Stats
{
    /// <summary>Stopwatch ticks in microseconds.</summary>
    public static double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    /// <summary>Nearest-rank percentile of sorted values (0 when there are none).</summary>
    public static long Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>The median; the mean of the middle two for an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
