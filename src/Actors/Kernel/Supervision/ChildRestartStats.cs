namespace Agent.Actors.Kernel;

/// <summary>How often a child was restarted inside the current time window.</summary>
internal sealed class ChildRestartStats
{
    private int _count;
    private long _windowStart;

    /// <summary>Counts one more restart and says whether it stays within the limits.</summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan withinTimeRange, TimeProvider time)
    {
        if (maxNrOfRetries < 0 && withinTimeRange == Timeout.InfiniteTimeSpan)
        {
            return true;
        }
        if (maxNrOfRetries == 0)
        {
            return false;
        }
        if (withinTimeRange == Timeout.InfiniteTimeSpan || withinTimeRange <= TimeSpan.Zero)
        {
            _count++;
            return maxNrOfRetries < 0 || _count <= maxNrOfRetries;
        }
        var now = time.GetTimestamp();
        if (_count == 0 || time.GetElapsedTime(_windowStart, now) > withinTimeRange)
        {
            _windowStart = now;
            _count = 1;
            return true;
        }
        _count++;
        return maxNrOfRetries < 0 || _count <= maxNrOfRetries;
    }
}
