using Agent.Actors.Checks;
using Agent.Messages;
using Agent.Messages.Checks;

namespace Agent.Actors.Tests.Checks;

/// <summary>
/// Continuous checks against a test probe standing in for the runner: every target is asked once per interval, never
/// twice while a probe runs, and the latest result and a bounded history (ok ratio, latency percentiles) come back.
/// </summary>
public sealed class ContinuousChecksTests(ITestOutputHelper output) : AgentTestKit(output)
{
    private static readonly ProbeTarget Echo = ProbeTarget.Parse("tcp-echo:127.0.0.1:7");
    private static readonly ProbeTarget Name = ProbeTarget.Parse("dns:localhost");

    private static ProbeResult Ok(ProbeTarget target, double ms) => new(target, true, ms, null, null, null, 1);

    private static ProbeResult Refused(ProbeTarget target) =>
        new(target, false, null, null, new PythonError("ConnectionRefusedError", 111, "Connection refused"), null, 1);

    [Fact]
    public async Task EachTargetAskedEveryInterval_NeverTwiceWhileRunning_LatestWithBoundedHistory()
    {
        var runner = CreateTestProbe();
        var interval = TimeSpan.FromMilliseconds(300);
        var check = new ContinuousCheck("core", interval, [new RunProbe(Echo), new RunProbe(Name)], History: 3);
        var recorded = new System.Collections.Concurrent.ConcurrentQueue<ProbeResult>();
        var checks = Sys.ActorOf(ContinuousChecks.Props("edge-1", [check], runner.Ref, recorded.Enqueue));

        // Each target's first turn comes within one interval, at a phase of its own.
        var first = await runner.ExpectMsgAsync<RunProbe>(interval + TestTime.Seconds(2));
        var second = await runner.ExpectMsgAsync<RunProbe>(interval + TestTime.Seconds(2));
        Assert.Equal([Name.ToString(), Echo.ToString()], new[] { first.Target.ToString(), second.Target.ToString() }.Order(StringComparer.Ordinal));
        // Unanswered, neither is asked again however many intervals pass.
        await runner.ExpectNoMsgAsync(interval * 3);

        foreach (var ms in new[] { 4.0, 1.0, 3.0, 2.0 })
        {
            checks.Tell(Ok(Echo, ms), runner.Ref);
            await runner.FishForMessageAsync<RunProbe>(run => run.Target == Echo, interval + TestTime.Seconds(2));
        }
        checks.Tell(Refused(Name), runner.Ref);

        checks.Tell(new GetLatestChecks());
        var latest = await ExpectMsgAsync<LatestChecks>();
        Assert.Equal("edge-1", latest.Node);
        Assert.Equal([Echo, Name], latest.Cells.Select(c => c.Result.Target));
        var echo = latest.Cells[0];
        Assert.Equal("core", echo.Check);
        Assert.Equal(2.0, echo.Result.LatencyMs);
        // The history keeps the last 3: 1, 3, 2 ms.
        Assert.Equal(new CellHistory(3, 3, 2.0, 3.0, 3.0), echo.History);
        Assert.Equal(new CellHistory(1, 0, null, null, null), latest.Cells[1].History);
        Assert.Equal(5, recorded.Count);

        checks.Tell(new GetLatestChecks("other"));
        Assert.Empty((await ExpectMsgAsync<LatestChecks>()).Cells);
    }

    [Fact]
    public async Task ACachedOrUnaskedResult_NotASample()
    {
        var runner = CreateTestProbe();
        var interval = TimeSpan.FromMilliseconds(200);
        var recorded = new System.Collections.Concurrent.ConcurrentQueue<ProbeResult>();
        var checks = Sys.ActorOf(ContinuousChecks.Props("edge-1", [new ContinuousCheck("core", interval, [new RunProbe(Echo)], 10)], runner.Ref, recorded.Enqueue));
        await runner.ExpectMsgAsync<RunProbe>(interval + TestTime.Seconds(2));
        checks.Tell(Ok(Echo, 1), runner.Ref);
        // Answered from the runner's cache (another check probed it moments ago): the turn is over, no sample taken.
        await runner.ExpectMsgAsync<RunProbe>(interval + TestTime.Seconds(2));
        checks.Tell(Ok(Echo, 9) with { Cached = true }, runner.Ref);
        // A second answer to one ask (or one never asked for) is no sample either.
        checks.Tell(Ok(Echo, 7), runner.Ref);

        checks.Tell(new GetLatestChecks());
        var cell = Assert.Single((await ExpectMsgAsync<LatestChecks>()).Cells);
        Assert.Equal(1.0, cell.Result.LatencyMs);
        Assert.Equal(new CellHistory(1, 1, 1.0, 1.0, 1.0), cell.History);
        Assert.Single(recorded);
    }

    [Fact]
    public async Task Latest_APageAtATime()
    {
        var runner = CreateTestProbe();
        var targets = Enumerable.Range(1, 250).Select(i => ProbeTarget.Parse($"dns:h{i}")).ToList();
        var checks = Sys.ActorOf(ContinuousChecks.Props("edge-1", [new ContinuousCheck("many", TimeSpan.FromMilliseconds(100), [.. targets.Select(t => new RunProbe(t))], 1)], runner.Ref));
        var answered = new HashSet<ProbeTarget>();
        while (answered.Count < targets.Count)
        {
            var run = await runner.ExpectMsgAsync<RunProbe>(TestTime.Seconds(5));
            checks.Tell(Ok(run.Target, 1), runner.Ref);
            answered.Add(run.Target);
        }
        var seen = new List<ProbeTarget>();
        var offsets = new List<int?>();
        int? offset = 0;
        while (offset is { } next)
        {
            checks.Tell(new GetLatestChecks(null, next));
            var page = await ExpectMsgAsync<LatestChecks>();
            Assert.InRange(page.Cells.Count, 1, LatestChecks.PageSize);
            seen.AddRange(page.Cells.Select(c => c.Result.Target));
            offsets.Add(offset = page.Next);
        }
        Assert.Equal([100, 200, null], offsets);
        Assert.Equal(targets, seen);
    }

    [Fact]
    public void Props_RefuseATargetInTwoChecksOrAnEmptyCheck()
    {
        var one = new ContinuousCheck("a", TimeSpan.FromSeconds(1), [new RunProbe(Echo)], 10);
        var twin = new ContinuousCheck("b", TimeSpan.FromSeconds(1), [new RunProbe(Echo)], 10);
        Assert.Throws<ArgumentException>(() => ContinuousChecks.Props("n", [one, twin], TestActor));
        Assert.Throws<ArgumentException>(() => ContinuousChecks.Props("n", [one with { Probes = [] }], TestActor));
        Assert.Throws<ArgumentException>(() => ContinuousChecks.Props("n", [one with { History = 0 }], TestActor));
    }

    [Theory]
    [InlineData(50, 5.0)]
    [InlineData(90, 9.0)]
    [InlineData(99, 10.0)]
    [InlineData(100, 10.0)]
    [InlineData(1, 1.0)]
    public void Percentile_NearestRank(double p, double expected) =>
        Assert.Equal(expected, ContinuousChecks.Percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p));

    [Fact]
    public void Percentile_NoneOk_Null() => Assert.Null(ContinuousChecks.Percentile([], 50));
}
