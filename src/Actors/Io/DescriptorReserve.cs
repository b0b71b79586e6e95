using System.Net.Sockets;

namespace Agent.Actors.Io;

/// <summary>
/// Keeps the process from running out of descriptors through accepted connections. The runtime itself
/// needs descriptors at unpredictable moments (loading an assembly maps a file), and when it finds none
/// it dies ("Out of memory."), so listeners stop before the last one goes: a few descriptors are held
/// back (open handles on /dev/null) and given to the rest of the process when a listener pauses, and a
/// listener pauses as soon as an accepted socket lands within <see cref="Headroom"/> of the soft
/// RLIMIT_NOFILE (descriptors are numbered lowest-free first, so that socket's number is a lower bound
/// of the descriptors in use), or when accept fails with EMFILE/ENFILE anyway.
/// </summary>
internal static class DescriptorReserve
{
    /// <summary>How many descriptors are held back. 16 is enough for the runtime to log and shut down cleanly.</summary>
    public const int Size = 16;

    /// <summary>Descriptors left below the soft limit when a listener stops accepting.</summary>
    public const int Headroom = 8;

    private static readonly Lock Gate = new();
    private static readonly List<FileStream> Held = [];
    private static long s_limit = ReadLimit();

    /// <summary>Takes the reserve back (all <see cref="Size"/> or none); false if the process is still short of descriptors.</summary>
    public static bool TryAcquire()
    {
        lock (Gate)
        {
            try
            {
                while (Held.Count < Size)
                {
                    Held.Add(new FileStream("/dev/null", FileMode.Open, FileAccess.Read));
                }
                return true;
            }
            catch (IOException)
            {
                // A partial reserve would only take the last descriptors from the runtime.
                ReleaseHeld();
                return false;
            }
        }
    }

    /// <summary>Gives the reserve to the rest of the process.</summary>
    public static void Release()
    {
        lock (Gate)
        {
            ReleaseHeld();
        }
    }

    /// <summary>
    /// True when <paramref name="accepted"/>'s descriptor number is within <see cref="Headroom"/> of the soft
    /// descriptor limit (read again then, in case it was raised), with the number and the limit for the log.
    /// </summary>
    public static bool NearlyExhausted(Socket accepted, out long descriptor, out long limit)
    {
        descriptor = accepted.SafeHandle.DangerousGetHandle();
        limit = Volatile.Read(ref s_limit);
        if (descriptor < limit - Headroom)
        {
            return false;
        }
        limit = ReadLimit();
        Volatile.Write(ref s_limit, limit);
        return descriptor >= limit - Headroom;
    }

    private static void ReleaseHeld()
    {
        Held.ForEach(f => f.Dispose());
        Held.Clear();
    }

    private static long ReadLimit() => DescriptorLimit.Read().Soft;
}
