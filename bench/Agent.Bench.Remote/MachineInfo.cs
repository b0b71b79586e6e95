using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
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
