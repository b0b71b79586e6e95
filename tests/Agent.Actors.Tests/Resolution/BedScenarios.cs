using System.Diagnostics;
using System.Text.Json.Nodes;
using Agent.Actors.Resolution;
using Agent.Messages.Resolution;
using Agent.Output;

namespace Agent.Actors.Tests.Resolution;

/// <summary>Scenarios run inside the DNS test bed by executing the test assembly (see Program).</summary>
internal static class BedScenarios
{
    /// <summary>The calls of a parity file, answered through a ResolverActor.</summary>
    public static async Task<JsonArray> ParityThroughActorsAsync(JsonArray calls)
    {
        var system = ActorSystem.Create("bed").StartScheduler();
        try
        {
            var resolver = system.ActorOf(ResolverActor.Props(), "resolver");
            return ParityCalls.RunAll(calls, request =>
                resolver.Ask<object>(request, TestTime.Seconds(60)).GetAwaiter().GetResult() switch
                {
                    Resolved r => PythonJson.ToJson(r.Result),
                    ResolutionFailed f => throw new PythonException(f.Error),
                    var other => throw new InvalidOperationException($"unexpected reply {other}"),
                });
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>
    /// With the blackhole nameserver: one lookup that libc cannot finish, and hosts-file and
    /// numeric lookups next to it. Reports when each was answered.
    /// </summary>
    public static async Task<JsonObject> BlackholeTimeoutAsync(TimeSpan timeout)
    {
        var system = ActorSystem.Create("bed").StartScheduler();
        try
        {
            var resolver = system.ActorOf(ResolverActor.Props(new ResolverSettings { Concurrency = 4, Timeout = timeout }), "resolver");
            ResolutionRequest Other(int i) => (i % 4) switch
            {
                0 => new GetAddrInfo("localhost", "80", 0, 1),
                1 => new GetHostByNameEx("files.bed.test"),
                2 => new GetAddrInfo("127.0.0.1", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => new GetNameInfo("10.53.0.10", 80, 1),
            };
            // This process is fresh: one lookup of each kind first, so the clock does not time the JIT.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => resolver.Ask<Resolved>(Other(i), TestTime.Seconds(120))));
            var clock = Stopwatch.StartNew();
            var stuck = Timed(resolver, new GetAddrInfo("stuck.example", "80", 0, 1), clock);
            var others = Enumerable.Range(0, 40).Select(i => Timed(resolver, Other(i), clock)).ToList();
            var done = await Task.WhenAll(others);
            var (stuckReply, stuckMs) = await stuck;
            return new JsonObject
            {
                ["stuckTimedOut"] = stuckReply is ResolutionFailed { TimedOut: true },
                ["stuckMs"] = stuckMs,
                ["othersResolved"] = done.Count(d => d.Reply is Resolved),
                ["othersMaxMs"] = done.Max(d => d.Ms),
            };
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<(object Reply, double Ms)> Timed(IActorRef resolver, ResolutionRequest request, Stopwatch clock)
    {
        var reply = await resolver.Ask<object>(request, TestTime.Seconds(120));
        return (reply, clock.Elapsed.TotalMilliseconds);
    }
}
