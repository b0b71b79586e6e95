using System.Globalization;

namespace Agent.Bench;

/// <summary>Busy CPU time of the whole machine, summed over all cores, from /proc/stat (zero where there is none).</summary>
internal static class MachineCpu
{
    // USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Busy()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 8 || fields[0] != "cpu")
            {
                return TimeSpan.Zero;
            }
            // cpu user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
            double busy = 0;
            for (var i = 1; i < fields.Length && i <= 8; i++)
            {
                if (i is not 4 and not 5)
                {
                    busy += double.Parse(fields[i], CultureInfo.InvariantCulture);
                }
            }
            return TimeSpan.FromSeconds(busy / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Cores' worth of CPU the machine is busy with over <paramref name="window"/> (0 to nproc).</summary>
    public static async Task<double> BusyCoresAsync(TimeSpan window)
    {
        var before = Busy();
        await Task.Delay(window);
        return (Busy() - before).TotalSeconds / window.TotalSeconds;
    }
}
