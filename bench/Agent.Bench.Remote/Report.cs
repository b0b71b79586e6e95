using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agent.Bench.Remote;

/// <summary>One case (topology, in-flight count, variant: ours, default or raw TCP) over all rounds: medians and ranges.</summary>
internal sealed record CaseSummary(
    string Topology,
    int InFlight,
    string Variant,
    int Rounds,
    double MedianRoundTripsPerSecond,
    double MinRoundTripsPerSecond,
    double MaxRoundTripsPerSecond,
    double MedianP50Us,
    double MedianP99Us,
    double MinP99Us,
    double MaxP99Us,
    double MedianCpuUsPerRoundTrip,
    double? MedianAllocatedBytesPerRoundTrip);

/// <summary>
/// Ours / default for one topology and in-flight count, paired by round (the two ran back to back); and ours / the raw
/// TCP baseline's round trips per second where the baseline ran (1 in flight).
/// </summary>
internal sealed record RatioRow(
    string Topology,
    int InFlight,
    double MedianRate,
    double MinRate,
    double MaxRate,
    double MedianP50,
    double MedianP99,
    double MedianCpu,
    double? MedianOursOverRawTcp);

/// <summary>One target of issue 9 against the measured median.</summary>
internal sealed record TargetRow(string Target, string Case, double Measured, double Goal, bool Met);

/// <summary>The --json output: machine, method, the checks before measuring, every sample, summaries, ratios, targets.</summary>
internal sealed record RemoteReport(
    MachineInfo Machine,
    string LoadAverageBefore,
    string LoadAverageAfter,
    string Command,
    string Method,
    IReadOnlyList<string> Serializers,
    IReadOnlyList<RoundTripCheck> DefaultSerializerRoundTrips,
    IReadOnlyList<FrameCost> FrameCosts,
    IReadOnlyList<Sample> Samples,
    IReadOnlyList<CaseSummary> Cases,
    IReadOnlyList<RatioRow> Ratios,
    IReadOnlyList<TargetRow> Targets);

/// <summary>Source-generated JSON for the report.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(RemoteReport))]
internal sealed partial class RemoteJsonContext : JsonSerializerContext
{
    public static string Write(RemoteReport report) => JsonSerializer.Serialize(report, Default.RemoteReport);
}
