using System.Diagnostics;

namespace Agent.Bench;

/// <summary>Snapshot of the clock, allocation and GC counters at the start and end of a measured interval.</summary>
internal readonly record struct Measurement(long Timestamp, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    public static Measurement Take() => new(
        Stopwatch.GetTimestamp(),
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2));

    public CaseResult ResultSince(Measurement start, string caseName, long operations, double value, string unit, string? note = null)
    {
        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var allocatedPerOp = operations == 0 ? 0 : (double)(AllocatedBytes - start.AllocatedBytes) / operations;
        return new CaseResult(caseName, value, unit, operations, seconds, allocatedPerOp,
            Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2, note);
    }
}
