using System.Runtime.InteropServices;

namespace Agent.Bench.Cases;

/// <summary>
/// One pair's round-trip count: written only by its pinger (one message at a time), read by
/// the measuring thread. Padded to its own cache lines so 8 pairs do not false-share.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed class RoundTripCounter
{
    [FieldOffset(64)]
    private long _count;

    [FieldOffset(128)]
    private int _stopped;

    /// <summary>Counts one round trip; returns false once the measurement is over (stop pinging).</summary>
    public bool Increment()
    {
        Volatile.Write(ref _count, _count + 1);
        return Volatile.Read(ref _stopped) == 0;
    }

    public long Read() => Volatile.Read(ref _count);

    public void Stop() => Volatile.Write(ref _stopped, 1);
}
