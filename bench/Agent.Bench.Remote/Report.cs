using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Agent.Bench.Remote;

/// <summary>What the numbers were measured on (read from /proc on Linux), and the load average at the start and end.</summary>
internal sealed record MachineInfo(int ProcessorCount, string CpuModel, string Memory, string Runtime, string Os, string Gc, string Akka)
{
    public static MachineInfo Read() => new(
        Environment.ProcessorCount,
        ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ProcLine("/proc/meminfo", "MemTotal") ?? "unknown",
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        GCSettings.IsServerGC ? "server" : $"workstation, {GCSettings.LatencyMode}",
        typeof(ActorSystem).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown");

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? ProcLine(string path, string key)
    {
        try
        {
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}

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
