using System.Runtime;
using System.Runtime.InteropServices;

namespace Agent.Bench;

/// <summary>What the numbers were measured on (read from /proc on Linux).</summary>
internal sealed record MachineInfo(int ProcessorCount, string CpuModel, string Memory, string Runtime, string Os, string Gc)
{
    public static MachineInfo Read() => new(
        Environment.ProcessorCount,
        ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ProcLine("/proc/meminfo", "MemTotal") ?? "unknown",
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        GCSettings.IsServerGC ? "server" : $"workstation, {GCSettings.LatencyMode}");

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
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
