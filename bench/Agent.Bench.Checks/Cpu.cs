using System.Diagnostics;
using System.Globalization;

namespace Agent.Bench.Checks;

/// <summary>CPU time: per core of the machine (from /proc/stat, every process), and per process.</summary>
internal static class Cpu
{
    // USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Busy time of each core so far (all but idle and iowait), indexed by core number; empty where /proc/stat is missing.</summary>
    public static IReadOnlyDictionary<int, TimeSpan> BusyPerCore()
    {
        var busy = new Dictionary<int, TimeSpan>();
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3]))
                {
                    continue;
                }
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                double ticks = 0;
                // cpuN user nice system idle iowait irq softirq steal ...
                for (var i = 1; i < fields.Length && i <= 8; i++)
                {
                    if (i is not 4 and not 5)
                    {
                        ticks += double.Parse(fields[i], CultureInfo.InvariantCulture);
                    }
                }
                busy[int.Parse(fields[0].AsSpan(3), CultureInfo.InvariantCulture)] = TimeSpan.FromSeconds(ticks / TicksPerSecond);
            }
        }
        catch (IOException)
        {
            busy.Clear();
        }
        return busy;
    }

    /// <summary>The machine's cores (online), whatever this process's affinity: <see cref="Environment.ProcessorCount"/> counts only the cores it may use.</summary>
    public static int Online() => BusyPerCore().Count is > 0 and var n ? n : Environment.ProcessorCount;

    /// <summary>Cores' worth of CPU the whole machine is busy with over <paramref name="window"/>.</summary>
    public static async Task<double> MachineBusyAsync(TimeSpan window)
    {
        var before = BusyPerCore();
        await Task.Delay(window);
        var after = BusyPerCore();
        return after.Sum(core => (core.Value - before.GetValueOrDefault(core.Key)).TotalSeconds) / window.TotalSeconds;
    }

    /// <summary>User and system time <paramref name="process"/> has used so far (zero once it has exited).</summary>
    public static TimeSpan Of(Process process)
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>The CPUs this process may run on, as the kernel lists them (e.g. <c>1</c> or <c>0-1</c>).</summary>
    public static string Affinity()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            return line?["Cpus_allowed_list:".Length..].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
