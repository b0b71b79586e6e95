using System.Diagnostics;
using System.Globalization;
using Akka.Actor;

namespace Agent.Bench.Cases;

/// <summary>
/// One parent spawns N idle children from inside one message handler
/// (<c>Context.ActorOf(props)</c> in a loop, one shared Props instance).
/// The spawn figure is N / (time from telling the parent to the moment every child's
/// PreStart has run), so it counts the children's creation, not only ActorOf returning;
/// the time until ActorOf had returned for all is reported beside it. The memory figure is
/// (GC.GetTotalMemory(true) after all N started - before) / N.
/// </summary>
internal static class SpawnCase
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task<CaseResult> RunSpawnAsync(string caseName, BenchSettings settings)
    {
        await WarmUpAsync(settings);
        await using var bench = BenchSystem.Create("spawn", settings);
        var system = bench.System;
        var parent = await StartParentAsync(system);

        var start = Measurement.Take();
        var (returnedAt, allStarted) = await SpawnAsync(parent, settings.Actors);
        var end = allStarted;

        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        var returnedSeconds = Stopwatch.GetElapsedTime(start.Timestamp, returnedAt).TotalSeconds;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"all {settings.Actors:N0} started after {seconds:0.000} s; ActorOf had returned for all after {returnedSeconds:0.000} s ({settings.Actors / returnedSeconds:N0} actors/s)");
        return end.ResultSince(start, caseName, settings.Actors, settings.Actors / seconds, "actors/s", note);
    }

    public static async Task<CaseResult> RunMemoryAsync(string caseName, BenchSettings settings)
    {
        await WarmUpAsync(settings);
        await using var bench = BenchSystem.Create("memory", settings);
        var system = bench.System;
        var parent = await StartParentAsync(system);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var start = Measurement.Take();
        await SpawnAsync(parent, settings.Actors);
        var end = Measurement.Take();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(system);

        var perActor = (double)(after - before) / settings.Actors;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"GC.GetTotalMemory(true): {before:N0} B before, {after:N0} B after {settings.Actors:N0} idle actors");
        return end.ResultSince(start, caseName, settings.Actors, perActor, "B/actor", note);
    }

    /// <summary>Spawns batches in a throw-away system until the warm-up time is spent, so the measured run is JIT-compiled.</summary>
    private static async Task WarmUpAsync(BenchSettings settings)
    {
        const int Batch = 20_000;
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        await using (var bench = BenchSystem.Create("spawn-warmup", settings))
        {
            var i = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var parent = await StartParentAsync(bench.System, $"warmup-{i++}");
                await SpawnAsync(parent, Batch);
                bench.System.Stop(parent);
            }
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static async Task<IActorRef> StartParentAsync(ActorSystem system, string name = "parent")
    {
        var childProps = Props.Create<IdleActor>();
        var parent = system.ActorOf(Props.Create(() => new SpawnParent(childProps)), name);
        await parent.Ask<Ready>(Ready.Instance, TimeSpan.FromSeconds(30));
        return parent;
    }

    /// <summary>Returns when ActorOf returned for all children (timestamp) and a measurement taken when all had started.</summary>
    private static async Task<(long ReturnedAt, Measurement AllStarted)> SpawnAsync(IActorRef parent, int count)
    {
        var allStarted = IdleActor.ExpectStarts(count);
        var returned = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        parent.Tell(new SpawnChildren(count, returned), ActorRefs.NoSender);
        var finished = await Task.WhenAny(allStarted, Task.Delay(GiveUpAfter));
        if (finished != allStarted)
        {
            throw new TimeoutException($"only {IdleActor.Started:N0} of {count:N0} children started within {GiveUpAfter}");
        }
        var end = await allStarted;
        return (await returned.Task, end);
    }

    /// <summary>Asks a parent to spawn <see cref="Count"/> children; it completes <see cref="Returned"/> with the time ActorOf returned for the last.</summary>
    private sealed record SpawnChildren(int Count, TaskCompletionSource<long> Returned);

    /// <summary>Asked of a new parent; answered once it runs, so spawning starts from a started parent.</summary>
    private sealed class Ready
    {
        public static readonly Ready Instance = new();
    }

    private sealed class SpawnParent : ReceiveActor
    {
        public SpawnParent(Props childProps)
        {
            Receive<Ready>(ready => Sender.Tell(ready, Self));
            Receive<SpawnChildren>(spawn =>
            {
                for (var i = 0; i < spawn.Count; i++)
                {
                    Context.ActorOf(childProps);
                }
                spawn.Returned.SetResult(Stopwatch.GetTimestamp());
            });
        }
    }
}
