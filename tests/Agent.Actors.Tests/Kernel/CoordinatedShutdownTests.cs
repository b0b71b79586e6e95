using System.Collections.Concurrent;

namespace Agent.Actors.Tests.Kernel;

public sealed class CoordinatedShutdownTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private static TimeSpan Max => Dilated(TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Run_TasksInSeveralPhases_RunInPhaseOrder()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        var ran = new ConcurrentQueue<string>();
        foreach (var phase in CoordinatedShutdown.Phases.Reverse())
        {
            shutdown.AddTask(phase, $"task-{phase}", () =>
            {
                ran.Enqueue(phase);
                return Task.CompletedTask;
            });
        }
        await shutdown.Run("test").WaitAsync(Max);
        Assert.Equal(CoordinatedShutdown.Phases, ran);
    }

    [Fact]
    public async Task Run_LaterPhase_StartsOnlyAfterEarlierPhaseCompleted()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstDone = false;
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "slow", async () =>
        {
            await first.Task;
            Volatile.Write(ref firstDone, true);
        });
        var sawFirstDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "after", () =>
        {
            sawFirstDone.TrySetResult(Volatile.Read(ref firstDone));
            return Task.CompletedTask;
        });
        var run = shutdown.Run("test");
        Assert.False(sawFirstDone.Task.IsCompleted);
        first.SetResult();
        Assert.True(await sawFirstDone.Task.WaitAsync(Max));
        await run.WaitAsync(Max);
    }

    [Fact]
    public async Task Run_TasksOfOnePhase_RunConcurrently()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        var a = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var b = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var met = 0;
        // Each task waits for the other to have started: sequential execution could not finish.
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "a", async () =>
        {
            a.SetResult();
            await b.Task.WaitAsync(Max);
            Interlocked.Increment(ref met);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "b", async () =>
        {
            b.SetResult();
            await a.Task.WaitAsync(Max);
            Interlocked.Increment(ref met);
        });
        await shutdown.Run("test").WaitAsync(Max * 3);
        Assert.Equal(2, met);
    }

    [Fact]
    public async Task Run_PhaseTimesOut_LaterPhasesStillRunAndSystemTerminates()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        shutdown.SetPhaseTimeout(CoordinatedShutdown.PhaseServiceUnbind, TimeSpan.FromMilliseconds(100));
        var never = new TaskCompletionSource();
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "hangs", () => never.Task);
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "later", () =>
        {
            later.TrySetResult();
            return Task.CompletedTask;
        });
        await shutdown.Run("test").WaitAsync(Max);
        Assert.True(later.Task.IsCompleted);
        Assert.True(Sys.WhenTerminated.IsCompleted);
        Assert.False(never.Task.IsCompleted);
        Logs.ExpectLogged(Serilog.Events.LogEventLevel.Warning, "timed out");
    }

    [Fact]
    public async Task Run_TaskThrows_ErrorIsLoggedAndLaterPhasesRun()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "bad", () => throw new InvalidOperationException("bad task"));
        var later = false;
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "later", () =>
        {
            later = true;
            return Task.CompletedTask;
        });
        await shutdown.Run("test").WaitAsync(Max);
        Assert.True(later);
        Logs.ExpectLogged(Serilog.Events.LogEventLevel.Error, "bad");
    }

    [Fact]
    public async Task Run_CalledTwice_RunsOnceAndReturnsTheSameTask()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        var runs = 0;
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "count", () =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        });
        var first = shutdown.Run("first");
        var second = shutdown.Run("second");
        Assert.Same(first, second);
        await first.WaitAsync(Max);
        await shutdown.Run("third").WaitAsync(Max);
        Assert.Equal(1, runs);
        Assert.Equal("first", shutdown.Reason);
        Assert.Same(shutdown, CoordinatedShutdown.Get(Sys));
    }

    [Fact]
    public async Task Run_LastPhase_TerminatesTheActorSystemAndStopsActors()
    {
        var hooks = CreateTestProbe();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorOf(Props.Create(() => new StopSignal(stopped)));
        await CoordinatedShutdown.Get(Sys).Run("test").WaitAsync(Max);
        Assert.True(stopped.Task.IsCompleted);
        await Sys.WhenTerminated.WaitAsync(Max);
        Assert.NotNull(hooks);
    }

    [Fact]
    public async Task AddTask_AfterRunStarted_Throws()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        var run = shutdown.Run("test");
        Assert.Throws<InvalidOperationException>(() => shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "late", () => Task.CompletedTask));
        await run.WaitAsync(Max);
    }

    [Fact]
    public void AddTask_UnknownPhase_Throws()
    {
        Assert.Throws<ArgumentException>(() => CoordinatedShutdown.Get(Sys).AddTask("no-such-phase", "x", () => Task.CompletedTask));
    }

    [Fact]
    public void Phases_IncludeTheRequiredOnesInOrder()
    {
        var phases = CoordinatedShutdown.Phases.ToList();
        Assert.True(phases.IndexOf(CoordinatedShutdown.PhaseServiceUnbind) < phases.IndexOf(CoordinatedShutdown.PhaseServiceStop));
        Assert.True(phases.IndexOf(CoordinatedShutdown.PhaseServiceStop) < phases.IndexOf(CoordinatedShutdown.PhaseActorSystemTerminate));
        Assert.Equal(CoordinatedShutdown.PhaseActorSystemTerminate, phases[^1]);
    }

    private sealed class StopSignal(TaskCompletionSource stopped) : ReceiveActor
    {
        protected internal override void PostStop() => stopped.TrySetResult();
    }
}
