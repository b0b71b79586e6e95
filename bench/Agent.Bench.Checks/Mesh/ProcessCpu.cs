using System.Globalization;

namespace Agent.Bench.Checks.Mesh;

/// <summary>
/// CPU time of processes to the nanosecond, thread by thread: <c>/proc/PID/task/TID/schedstat</c>'s first field (time
/// on a CPU). <c>/proc/PID/stat</c> counts 10 ms ticks, as coarse as a whole check here. Two readings are subtracted
/// thread by thread, so a thread that exits in between loses only its time since the first reading (the thread pool
/// retires idle threads; summing whole processes would subtract their lifetime) and a new one counts in full.
/// </summary>
internal sealed class ProcessCpu
{
    private readonly Dictionary<(int Pid, int Tid), long> _ns;

    private ProcessCpu(Dictionary<(int Pid, int Tid), long> ns) => _ns = ns;

    /// <summary>Every thread's time so far, of each of <paramref name="pids"/>.</summary>
    public static ProcessCpu Read(IEnumerable<int> pids)
    {
        var ns = new Dictionary<(int Pid, int Tid), long>();
        foreach (var pid in pids)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    try
                    {
                        var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                        ns[(pid, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))] =
                            long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
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
        }
        return new ProcessCpu(ns);
    }

    /// <summary>CPU the threads of <paramref name="pids"/> used from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static TimeSpan Between(ProcessCpu before, ProcessCpu after, IEnumerable<int> pids)
    {
        var set = pids.ToHashSet();
        var ns = after._ns.Where(t => set.Contains(t.Key.Pid)).Sum(t => t.Value - before._ns.GetValueOrDefault(t.Key));
        return TimeSpan.FromTicks(ns / 100);
    }
}
