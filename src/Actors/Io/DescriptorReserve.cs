namespace Agent.Actors.Io;

/// <summary>
/// A few descriptors held back (open handles on /dev/null) so that, when accepted connections have
/// used every other descriptor, the runtime still has some for its own needs (threads, timers,
/// logging). Listeners release the reserve when accept fails with EMFILE and accept again only once
/// it could be taken back, so connections never eat into it.
/// </summary>
internal static class DescriptorReserve
{
    /// <summary>How many descriptors are held back. 16 is enough for the runtime to log and shut down cleanly.</summary>
    public const int Size = 16;

    private static readonly Lock Gate = new();
    private static readonly List<FileStream> Held = [];

    /// <summary>Takes the reserve back (up to <see cref="Size"/>); false if the process is still out of descriptors.</summary>
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
                return false;
            }
        }
    }

    /// <summary>Gives the reserve to the rest of the process.</summary>
    public static void Release()
    {
        lock (Gate)
        {
            Held.ForEach(f => f.Dispose());
            Held.Clear();
        }
    }
}
