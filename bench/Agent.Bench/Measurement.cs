using System.Diagnostics;

namespace Agent.Bench;

/// <summary>
/// Snapshot of the clock, allocation and GC counters, total GC pause time, this process's CPU time and the whole
/// machine's busy CPU time, at the start and end of a measured interval. The machine minus
/// this process tells how much of the 2 cores other people's builds took meanwhile.
/// </summary>
internal readonly record struct Measurement(long Timestamp, long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan ProcessCpu, TimeSpan MachineBusy, TimeSpan GcPause)
{
    public static Measurement Take() => new(
        Stopwatch.GetTimestamp(),
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        Environment.CpuUsage.TotalTime,
        MachineCpu.Busy(),
        GC.GetTotalPauseDuration());

    public CaseResult ResultSince(Measurement start, string caseName, long operations, double value, string unit, string? note = null)
    {
        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var allocatedPerOp = operations == 0 ? 0 : (double)(AllocatedBytes - start.AllocatedBytes) / operations;
        var ownCores = (ProcessCpu - start.ProcessCpu).TotalSeconds / seconds;
        var machineCores = (MachineBusy - start.MachineBusy).TotalSeconds / seconds;
        return new CaseResult(caseName, value, unit, operations, seconds, allocatedPerOp,
            Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2,
            Math.Round(100 * (GcPause - start.GcPause).TotalSeconds / seconds, 2),
            Math.Round(ownCores, 2), Math.Round(Math.Max(0, machineCores - ownCores), 2), note);
    }
}
