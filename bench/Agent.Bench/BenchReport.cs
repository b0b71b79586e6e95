namespace Agent.Bench;

/// <summary>The --json output: the machine, the method, and per figure the median and every run.</summary>
internal sealed record BenchReport(MachineInfo Machine, string Method, IReadOnlyList<FigureReport> Figures);

/// <summary>One figure: its median over fresh processes, the bar and target beside it, and the runs behind it.</summary>
internal sealed record FigureReport(
    string Case,
    string Figure,
    string Unit,
    double? Median,
    double AkkaNet1530,
    double Target,
    bool HigherIsBetter,
    bool? TargetMet,
    IReadOnlyList<CaseResult> Runs,
    IReadOnlyList<string> Errors);
