using System.Runtime.InteropServices;

namespace Agent.Actors.Io;

/// <summary>
/// The process's descriptor limit (RLIMIT_NOFILE). The .NET runtime holds two descriptors per loaded assembly, so a
/// process on Akka.NET and the Generic Host needs about 200 before it accepts anything; below that it does not
/// fail cleanly (an assembly that cannot be opened, "Out of memory."), which is why the CLI checks the limit first.
/// </summary>
public static partial class DescriptorLimit
{
    private const int RlimitNofile = 7;

    /// <summary>The soft and hard limits; <see cref="int.MaxValue"/> stands for unlimited or unreadable.</summary>
    public static (long Soft, long Hard) Read() =>
        GetRlimit(RlimitNofile, out var limit) == 0
            ? (Clamp(limit.Current), Clamp(limit.Maximum))
            : (int.MaxValue, int.MaxValue);

    /// <summary>
    /// Makes the soft limit at least <paramref name="needed"/>, raising it towards the hard limit as far as
    /// <paramref name="wanted"/> (servers do this at start, as Go's runtime does); null on success, else what stands
    /// in the way: <c>the descriptor limit is 128 (ulimit -n); this command needs at least 512</c>.
    /// </summary>
    public static string? Ensure(long needed, long wanted)
    {
        var (soft, hard) = Read();
        if (soft < wanted && hard > soft)
        {
            var raised = new Rlimit { Current = (ulong)Math.Min(hard, wanted), Maximum = (ulong)hard };
            if (hard == int.MaxValue)
            {
                raised.Maximum = ulong.MaxValue;
            }
            if (SetRlimit(RlimitNofile, in raised) == 0)
            {
                soft = (long)raised.Current;
            }
        }
        return soft >= needed ? null : $"the descriptor limit is {soft} (ulimit -n); this command needs at least {needed}";
    }

    private static long Clamp(ulong value) => value is > 0 and < int.MaxValue ? (long)value : int.MaxValue;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRlimit(int resource, in Rlimit limit);
}
