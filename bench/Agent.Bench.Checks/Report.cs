using System.Text.Json;
using System.Text.Json.Serialization;
using Agent.Bench.Remote;

namespace Agent.Bench.Checks;

/// <summary>One measured window of one prober on one case.</summary>
/// <param name="Case"><c>tcp-echo</c> or <c>dns</c>.</param>
/// <param name="Variant">Who probed how: <c>ours</c>, <c>ours, hosts file</c>, <c>ours, dnsmasq</c>, <c>blackbox</c>...</param>
/// <param name="Ok">Ok answers in the window (probe_success 1 for blackbox).</param>
/// <param name="Failed">Failed answers in the window.</param>
/// <param name="FailedTotal">Failed answers at any phase (warm-up and drain included).</param>
/// <param name="ProberCores">CPU the prober's process used over the window, in cores (user + system / wall).</param>
/// <param name="CpuUsPerProbe">The prober's CPU per ok probe.</param>
/// <param name="ProbeCoreBusy">How busy the probing core was over the window, every process counted (1 = fully).</param>
/// <param name="LoadCoreBusy">How busy the other core was (target server, load driver, anything else).</param>
/// <param name="TargetCores">CPU the target server (echo server or dnsmasq) used, in cores.</param>
/// <param name="DriverCores">CPU the driver process used (blackbox's HTTP load; it idles for ours), in cores.</param>
/// <param name="AllocatedBytesPerProbe">Managed bytes allocated per ok probe (ours only).</param>
/// <param name="Gen0">Gen 0 collections in the window (ours only); Gen1 and Gen2 likewise.</param>
/// <param name="ExceptionsPerProbe">First-chance exceptions thrown in the prober per ok probe (ours only).</param>
/// <param name="ExceptionSources">The most frequent of them: count, type (socket error) and the method that threw.</param>
/// <param name="Net">The kernel's network counters over the window (machine-wide).</param>
/// <param name="OthersBusyBefore">Cores' worth of CPU the machine was busy with just before the sample, while every process of the bench idled: other work.</param>
/// <param name="WaitedSeconds">How long the bench waited for the machine to be that quiet.</param>
internal sealed record Sample(
    int Round,
    string Case,
    string Variant,
    long Ok,
    long Failed,
    long FailedTotal,
    string? FirstFailure,
    double Seconds,
    double ProbesPerSecond,
    double P50Us,
    double P99Us,
    double ProberCores,
    double CpuUsPerProbe,
    double ProbeCoreBusy,
    double LoadCoreBusy,
    double TargetCores,
    double DriverCores,
    double? AllocatedBytesPerProbe,
    int? Gen0,
    int? Gen1,
    int? Gen2,
    double? ExceptionsPerProbe,
    IReadOnlyList<string>? ExceptionSources,
    NetCounters Net,
    double OthersBusyBefore,
    double WaitedSeconds);

/// <summary>One prober on one case over all rounds: medians and ranges.</summary>
internal sealed record CaseSummary(
    string Case,
    string Variant,
    string Work,
    int Rounds,
    double MedianProbesPerSecond,
    double MinProbesPerSecond,
    double MaxProbesPerSecond,
    double MedianP50Us,
    double MedianP99Us,
    double MedianProberCores,
    double MedianCpuUsPerProbe,
    double MedianProbesPerCpuSecond,
    double MedianProbeCoreBusy,
    double MedianLoadCoreBusy,
    double MedianTargetCores,
    double MedianDriverCores,
    double MedianOthersBusyBefore,
    double? MedianAllocatedBytesPerProbe,
    double? MedianExceptionsPerProbe,
    IReadOnlyList<string>? ExceptionSources,
    long SynRetransmits,
    long UdpReceiveBufferErrors,
    long FailedTotal,
    string? FirstFailure);

/// <summary>
/// Ours / blackbox for one comparison, paired by round (the two ran back to back): probes/s as measured, and probes
/// per CPU-second (each prober's ok probes over the CPU time its process used), which is what each would do with the
/// core to itself, and what a shared core skews least.
/// </summary>
internal sealed record RatioRow(
    string Comparison,
    string Ours,
    string Blackbox,
    double MedianRate,
    double MinRate,
    double MaxRate,
    double MedianPerCpuRate,
    double MinPerCpuRate,
    double MaxPerCpuRate,
    bool TargetMet,
    bool TargetMetPerCpu);

/// <summary>What each prober says about a probe that fails.</summary>
/// <param name="Ours">Our <c>ProbeResult</c> as the wire's JSON.</param>
/// <param name="BlackboxMetrics">The sample lines of blackbox's answer (no HELP/TYPE).</param>
/// <param name="BlackboxDebugErrors">The error-level lines of the same probe's log (<c>&amp;debug=true</c>).</param>
/// <param name="BlackboxStderr">What blackbox wrote to its stderr (its log, default level) during the plain probe.</param>
internal sealed record ErrorPoint(
    string Case,
    string OursTarget,
    string BlackboxProbe,
    string Ours,
    IReadOnlyList<string> BlackboxMetrics,
    IReadOnlyList<string> BlackboxDebugErrors,
    IReadOnlyList<string> BlackboxStderr);

/// <summary>The --json output.</summary>
internal sealed record ChecksReport(
    MachineInfo Machine,
    string LoadAverageBefore,
    string LoadAverageAfter,
    string Command,
    string Method,
    IReadOnlyList<string> Setup,
    IReadOnlyList<Sample> Samples,
    IReadOnlyList<CaseSummary> Cases,
    IReadOnlyList<RatioRow> Ratios,
    IReadOnlyList<ErrorPoint> Errors);

/// <summary>Source-generated JSON for the report and the node's protocol.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ChecksReport))]
[JsonSerializable(typeof(NodeCommand))]
[JsonSerializable(typeof(NodeSample))]
internal sealed partial class ChecksBenchJson : JsonSerializerContext
{
    /// <summary>One line each: the node's commands and samples travel as lines.</summary>
    public static ChecksBenchJson Lines { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    public static string Write(ChecksReport report) => JsonSerializer.Serialize(report, Default.ChecksReport);
}
