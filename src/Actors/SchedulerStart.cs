using Akka.Actor;

namespace Agent.Actors;

/// <summary>
/// Starts an actor system's scheduler before any actor needs it. Akka.NET 1.5's <c>HashedWheelTimerScheduler</c>
/// starts on its first use and blocks the caller until its timer loop, queued on the .NET thread pool, has run
/// once. When that first use is a burst of actors on pool threads (64 connections accepted at once, each
/// arming its register timeout), every pool thread blocks there, the loop's work item waits behind them in a
/// blocked thread's local queue, and the node stops answering for good (seen: a fresh <c>agent run</c> hit by
/// 64 clients echoed nothing, ever; the dump showed every pool thread in <c>HashedWheelTimerScheduler.Start</c>).
/// Starting it from the thread that creates the system, while the pool is idle, takes a few milliseconds.
/// </summary>
public static class SchedulerStart
{
    /// <summary>Starts <paramref name="system"/>'s scheduler now (scheduling, then cancelling, a no-op); returns the system.</summary>
    public static ActorSystem StartScheduler(this ActorSystem system)
    {
        system.Scheduler.Advanced.ScheduleOnceCancelable(TimeSpan.FromDays(1), static () => { }).Cancel();
        return system;
    }
}
