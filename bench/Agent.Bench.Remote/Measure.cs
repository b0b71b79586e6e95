using System.Diagnostics;

namespace Agent.Bench.Remote;

/// <summary>A client and its server: node A asking node B with one serializer, or the raw TCP baseline.</summary>
/// <param name="Topology"><see cref="Driver.OneProcess"/> or <see cref="Driver.TwoProcesses"/>.</param>
/// <param name="Name">ours, default or raw TCP.</param>
/// <param name="Start">Starts a load's slots; returns what stops them.</param>
/// <param name="CpuTime">CPU time used so far by both sides' processes.</param>
/// <param name="CountsAllocations">True when both sides share this process, so its allocations are both sides'.</param>
internal sealed record Pair(string Topology, string Name, Func<Load, Action> Start, Func<TimeSpan> CpuTime, bool CountsAllocations);

/// <summary>One measured interval of one pair at one in-flight count; <c>Variant</c> is the pair's name (ours, default or raw TCP).</summary>
internal sealed record Sample(
    int Round,
    string Topology,
    int InFlight,
    string Variant,
    long RoundTrips,
    double Seconds,
    double RoundTripsPerSecond,
    double P50Us,
    double P99Us,
    double MaxUs,
    double CpuUsPerRoundTrip,
    double? AllocatedBytesPerRoundTrip,
    long Failures);

/// <summary>Runs one measurement: warm-up, then the measured interval, then waits for every request in flight to come back.</summary>
internal static class Measure
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<Sample> RunAsync(Pair pair, int inFlight, TimeSpan warmup, TimeSpan duration, int round)
    {
        var load = new Load(inFlight);
        var stop = pair.Start(load);
        try
        {
            await Task.Delay(warmup);
            var cpuBefore = pair.CpuTime();
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var started = Stopwatch.GetTimestamp();
            load.StartMeasuring();
            await Task.Delay(duration);
            load.Stop();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = pair.CpuTime() - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            if (await Task.WhenAny(load.Drained, Task.Delay(DrainTimeout)) != load.Drained)
            {
                throw new TimeoutException($"{pair.Topology} {pair.Name} x{inFlight}: requests still unanswered {DrainTimeout.TotalSeconds} s after the run");
            }
            if (load.Failed > 0)
            {
                throw new InvalidOperationException($"{pair.Topology} {pair.Name} x{inFlight}: {load.Failed} unexpected answers, the first: {load.FirstFailure}");
            }
            var latencies = load.Latencies();
            var n = latencies.Length;
            return new Sample(round, pair.Topology, inFlight, pair.Name, n, elapsed.TotalSeconds, n / elapsed.TotalSeconds,
                Stats.Microseconds(Stats.Percentile(latencies, 0.50)), Stats.Microseconds(Stats.Percentile(latencies, 0.99)), Stats.Microseconds(n == 0 ? 0 : latencies[^1]),
                n == 0 ? 0 : cpu.TotalMicroseconds / n,
                pair.CountsAllocations && n > 0 ? (double)allocated / n : null,
                load.Failed);
        }
        finally
        {
            stop();
        }
    }
}
