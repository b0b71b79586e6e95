using System.Text.Json;
using System.Text.Json.Serialization;
using Agent.Bench.Remote;

namespace Agent.Bench.Checks.Mesh;

/// <summary>One check timed end to end: the request (or all the exporters' requests) sent to the last answer read.</summary>
/// <param name="Nodes">N, the cluster's size (and the number of exporters).</param>
/// <param name="Round">0 for the warm-up, then 1 on.</param>
/// <param name="Variant">Who checked what (<see cref="MeshDriver"/>'s names).</param>
/// <param name="Cells">Cells the check must answer (prober x target).</param>
/// <param name="Answered">Cells it answered.</param>
/// <param name="Ok">Cells ok (blackbox: HTTP 200 with <c>probe_success 1</c>).</param>
/// <param name="Cached">Cells answered from the runner's recent results (<c>cached: true</c>): must be 0.</param>
/// <param name="FirstFailure">What the first cell not ok (or not a real probe) said.</param>
/// <param name="WallMs">End-to-end wall time.</param>
/// <param name="SlowestProbeMs">The slowest cell's own probe time (ours: <c>duration_ms</c>; blackbox: <c>probe_duration_seconds</c>).</param>
/// <param name="MedianProbeMs">The median cell's probe time.</param>
/// <param name="NodesCpuMs">CPU the N agent processes used from just before the check to just after its answer.</param>
/// <param name="CoordinatorCpuMs">Of it, the node the check was posted to (m1: API, coordinator, JSON, and its own probes).</param>
/// <param name="ExportersCpuMs">CPU the N blackbox_exporters used over the same span.</param>
/// <param name="DriverCpuMs">CPU this driver used (HTTP client, reading the answers).</param>
/// <param name="OthersBusyBefore">Cores' worth of CPU the machine was busy with just before the check, while the bench idled: other work.</param>
/// <param name="WaitedSeconds">How long the bench waited for that to drop.</param>
/// <param name="HeadMs">Streamed checks only: when the <c>{"check": ...}</c> line arrived (the coordinator has started and sent the probes out).</param>
/// <param name="FirstCellMs">Streamed checks only: when the first cell arrived.</param>
/// <param name="LastCellMs">Streamed checks only: when the last cell arrived.</param>
internal sealed record MeshSample(
    int Nodes,
    int Round,
    string Variant,
    int Cells,
    int Answered,
    int Ok,
    int Cached,
    string? FirstFailure,
    double WallMs,
    double SlowestProbeMs,
    double MedianProbeMs,
    double NodesCpuMs,
    double CoordinatorCpuMs,
    double ExportersCpuMs,
    double DriverCpuMs,
    double OthersBusyBefore,
    double WaitedSeconds,
    double? HeadMs = null,
    double? FirstCellMs = null,
    double? LastCellMs = null);

/// <summary>One variant at one N over the measured rounds: medians and ranges.</summary>
/// <param name="MedianOverheadMs">Median of wall time minus the slowest probe: what is not probing (fan-out, coordinator, HTTP, JSON, waiting for a core).</param>
/// <param name="MedianCpuMs">Median CPU per check of the nodes and the exporters together.</param>
/// <param name="MedianNodesCpuMs">Of it, the nodes' (probing for ours; serving the echoes for both).</param>
/// <param name="MedianExportersCpuMs">Of it, the exporters' (probing for blackbox; idle for ours).</param>
/// <param name="AllOk">Every cell of every measured check ok and a real probe.</param>
internal sealed record MeshSummary(
    int Nodes,
    string Variant,
    string Work,
    int Cells,
    int Rounds,
    double MedianWallMs,
    double MinWallMs,
    double MaxWallMs,
    double MedianSlowestProbeMs,
    double MedianProbeMs,
    double MedianOverheadMs,
    double MedianCpuMs,
    double MedianNodesCpuMs,
    double MedianExportersCpuMs,
    double MedianCoordinatorCpuMs,
    double MedianDriverCpuMs,
    double MedianOthersBusyBefore,
    bool AllOk,
    int FailedCells,
    int CachedCells,
    string? FirstFailure,
    double? MedianHeadMs,
    double? MedianFirstCellMs,
    double? MedianLastCellMs);

/// <summary>Ours over blackbox at one N, paired by round (the two ran within seconds of each other): wall time and CPU per check; below 1 ours took less.</summary>
internal sealed record MeshRatio(
    int Nodes,
    string Comparison,
    string Ours,
    string Blackbox,
    int Cells,
    double OursMedianMs,
    double BlackboxMedianMs,
    double MedianTimeRatio,
    double MinTimeRatio,
    double MaxTimeRatio,
    double MedianCpuRatio,
    double MinCpuRatio,
    double MaxCpuRatio);

/// <summary>One cluster of the run: how it started and what its nodes logged about unreachable members.</summary>
/// <param name="StartSeconds">From starting the first node to every member Up in m1's view.</param>
/// <param name="Members">Each node as started: name, pid, API, remoting, echo services.</param>
/// <param name="WarmupChecks">Unrecorded checks before the rounds (both probers, every variant).</param>
/// <param name="WarmupFailures">Of them, checks with a cell not ok.</param>
/// <param name="SettleSeconds">How long the nodes took, after the warm-up, to use less than 0.1 + 0.05 N cores three seconds in a row (at most 60 s).</param>
/// <param name="IdleNodesCores">CPU the idle cluster used (heartbeats, gossip, timers), in cores: the median of three seconds after it settled.</param>
/// <param name="IdleExportersCores">CPU the idle exporters used, likewise.</param>
/// <param name="UnreachableLines">Log lines of any node mentioning unreachability over the whole run of this cluster.</param>
internal sealed record MeshClusterInfo(
    int Nodes,
    double StartSeconds,
    IReadOnlyList<string> Members,
    int WarmupChecks,
    int WarmupFailures,
    double SettleSeconds,
    double IdleNodesCores,
    double IdleExportersCores,
    IReadOnlyList<string> UnreachableLines);

/// <summary>The <c>mesh --json</c> output.</summary>
internal sealed record MeshReport(
    MachineInfo Machine,
    string LoadAverageBefore,
    string LoadAverageAfter,
    string Command,
    string Method,
    IReadOnlyList<string> Setup,
    IReadOnlyList<MeshClusterInfo> Clusters,
    IReadOnlyList<MeshSummary> Summaries,
    IReadOnlyList<MeshRatio> Ratios,
    IReadOnlyList<MeshSample> Samples);

/// <summary>Source-generated JSON for the mesh report.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(MeshReport))]
internal sealed partial class MeshJson : JsonSerializerContext
{
    public static string Write(MeshReport report) => JsonSerializer.Serialize(report, Default.MeshReport);
}
