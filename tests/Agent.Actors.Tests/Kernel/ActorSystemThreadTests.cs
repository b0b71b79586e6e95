using System.Diagnostics;

namespace Agent.Actors.Tests.Kernel;

/// <summary>Test classes that run alone, with no other test in parallel (xunit runs them after the parallel ones).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}

/// <summary>Runs alone: other tests running in parallel would change the process's thread count.</summary>
[Collection(SerialCollection.Name)]
public sealed class ActorSystemThreadTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private static int ThreadCount()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.Threads.Count;
    }

    private static async Task UseAndTerminateOneSystem(int i)
    {
        var system = ActorSystem.Create($"threads-{i}");
        var echo = system.ActorOf(Props.Create<Echo>());
        for (var j = 0; j < 5; j++)
        {
            system.ActorOf(Props.Create<Echo>());
        }
        system.Scheduler.ScheduleTellOnce(TimeSpan.FromMinutes(1), echo, "later", ActorRefs.NoSender);
        Assert.Equal("ping", await echo.Ask<string>("ping", TimeSpan.FromSeconds(10)));
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Terminate_TwentySystemsCreatedAndTerminated_ThreadCountDoesNotGrow()
    {
        // Warm up the shared runtime threads (timer queue, thread pool) first.
        await UseAndTerminateOneSystem(-1);
        var before = ThreadCount();
        for (var i = 0; i < 20; i++)
        {
            await UseAndTerminateOneSystem(i);
        }
        var after = ThreadCount();
        // A dedicated thread per system (or per scheduler) would add at least 20.
        Assert.True(after - before < 10, $"thread count grew from {before} to {after} across 20 systems");
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(s => Sender.Tell(s));
    }
}
