using System.Globalization;

namespace Agent.Bench.Checks.Mesh;

/// <summary>
/// CPU time of a process to the nanosecond: the sum over its threads of <c>/proc/PID/task/TID/schedstat</c>'s first field
/// (time on a CPU). <c>/proc/PID/stat</c> counts 10 ms ticks, as coarse as a whole check here. A thread that exits
/// between two readings takes its time with it; the thread pool retires a thread only after 20 s idle, so within one
/// check that is rare.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Of(int pid)
    {
        long ns = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                    ns += long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread exited while we listed them.
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }
        return TimeSpan.FromTicks(ns / 100);
    }
}
