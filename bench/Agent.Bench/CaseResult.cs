namespace Agent.Bench;

/// <summary>
/// What one measuring process reports. <see cref="Value"/> is the figure; the rest is the
/// evidence for explaining it: operations and seconds measured, bytes allocated per operation
/// on all threads, GC collections per generation, the share of the interval the GC paused the process, and the cores' worth of CPU this process
/// used and other processes on the machine used during the measured interval.
/// </summary>
internal sealed record CaseResult(
    string Case,
    double Value,
    string Unit,
    long Operations,
    double Seconds,
    double AllocatedBytesPerOp,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPausePercent,
    double OwnCores,
    double OtherCores,
    string? Note);
