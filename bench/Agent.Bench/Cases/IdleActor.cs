using Akka.Actor;

namespace Agent.Bench.Cases;

/// <summary>
/// An actor with no state and no handler that only reports that it started; the tracker is
/// static so the actor has no fields and the memory figure is Akka's cost alone.
/// </summary>
internal sealed class IdleActor : ActorBase
{
    private static int _expected;
    private static int _started;
    private static TaskCompletionSource<Measurement> _allStarted = new();

    public static int Started => Volatile.Read(ref _started);

    /// <summary>Resets the tracker; the task completes with a measurement taken when the <paramref name="count"/>th child started.</summary>
    public static Task<Measurement> ExpectStarts(int count)
    {
        _allStarted = new TaskCompletionSource<Measurement>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _started, 0);
        Volatile.Write(ref _expected, count);
        return _allStarted.Task;
    }

    protected override void PreStart()
    {
        if (Interlocked.Increment(ref _started) == Volatile.Read(ref _expected))
        {
            _allStarted.TrySetResult(Measurement.Take());
        }
    }

    protected override bool Receive(object message) => false;
}
