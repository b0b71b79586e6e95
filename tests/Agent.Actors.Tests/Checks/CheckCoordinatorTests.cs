using System.Threading.Channels;
using Agent.Actors.Checks;
using Agent.Messages;
using Agent.Messages.Checks;

namespace Agent.Actors.Tests.Checks;

/// <summary>
/// A check's coordinator on a one-node cluster with a real probe runner: each member x target cell is written exactly once,
/// then the channel completes; members that cannot answer (unreachable from the start, or silent past the deadline) get
/// NodeUnreachable cells.
/// </summary>
public sealed class CheckCoordinatorTests(ITestOutputHelper output) : ProbeTestBase(output, """
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
    """)
{
    private async Task<CheckMember> JoinSelfAsync(bool runner = true)
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        using var deadline = new CancellationTokenSource(TestTime.Seconds(20));
        await cluster.JoinAsync(cluster.SelfAddress, deadline.Token);
        if (runner)
        {
            Sys.ActorOf(ProbeRunner.Props(Io, Resolver), ProbeRunner.Name);
        }
        return new CheckMember("self", cluster.SelfAddress, true);
    }

    private static async Task<List<CheckCell>> ReadAllAsync(ChannelReader<CheckCell> cells, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var all = new List<CheckCell>();
        await foreach (var cell in cells.ReadAllAsync(deadline.Token))
        {
            all.Add(cell);
        }
        return all;
    }

    [Fact]
    public async Task EveryCellOnce_UnreachableOrGoneAtOnce_SilentAtTheDeadline()
    {
        var self = await JoinSelfAsync();
        // A second member that runs no probe runner: reachable, and silent.
        var other = ActorSystem.Create(Sys.Name, AgentTestKit.Settings("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """));
        try
        {
            using (var joined = new CancellationTokenSource(TestTime.Seconds(20)))
            {
                await Akka.Cluster.Cluster.Get(other).JoinAsync(Akka.Cluster.Cluster.Get(Sys).SelfAddress, joined.Token);
            }
            var silent = new CheckMember("silent", Akka.Cluster.Cluster.Get(other).SelfAddress, true);
            var unreachable = new CheckMember("unreachable", Address.Parse("akka.tcp://agent@127.0.0.1:1"), false);
            // Reachable in the list the check was given, but no member of the cluster by the time it starts.
            var gone = new CheckMember("gone", Address.Parse("akka.tcp://agent@127.0.0.1:2"), true);
            RunProbe[] probes = [new(ProbeTarget.Parse("dns:localhost")), new(ProbeTarget.Parse($"tcp:127.0.0.1:{ClosedPort()}"))];
            var channel = Channel.CreateUnbounded<CheckCell>();
            var deadline = TestTime.Seconds(3);
            var coordinator = Sys.ActorOf(CheckCoordinator.Props([self, unreachable, gone, silent], probes, channel.Writer, deadline));
            Watch(coordinator);

            var cells = await ReadAllAsync(channel.Reader, deadline + TestTime.Seconds(10));
            await ExpectTerminatedAsync(coordinator);
            Assert.Equal(8, cells.Count);
            Assert.Equal(8, cells.Select(c => (c.Member, c.Target)).Distinct().Count());
            var byCell = cells.ToDictionary(c => (c.Member, c.Target), c => c.Result);
            Assert.True(byCell[(0, 0)].Ok);
            Assert.Equal("ConnectionRefusedError", byCell[(0, 1)].Error!.Kind);
            foreach (var t in new[] { 0, 1 })
            {
                Assert.Equal(probes[t].Target, byCell[(1, t)].Target);
                Assert.Equal("NodeUnreachable", byCell[(1, t)].Error!.Kind);
                Assert.Equal("unreachable (akka.tcp://agent@127.0.0.1:1): it is unreachable (the failure detector lost its heartbeats)", byCell[(1, t)].Error!.Strerror);
                Assert.Equal("gone (akka.tcp://agent@127.0.0.1:2): it left the cluster as the check started", byCell[(2, t)].Error!.Strerror);
                Assert.Equal("NodeUnreachable", byCell[(3, t)].Error!.Kind);
                Assert.EndsWith($"no answer within {deadline.TotalSeconds:0.###} s", byCell[(3, t)].Error!.Strerror, StringComparison.Ordinal);
            }
            // The unreachable member's cells come first: written as the check starts.
            Assert.Equal([1, 1], cells.Take(2).Select(c => c.Member));
        }
        finally
        {
            await other.Terminate().WaitAsync(TestTime.Seconds(30));
        }
    }

    [Fact]
    public async Task AResultNotFromAMembersRunner_Ignored()
    {
        // This node runs no probe runner: the check's only answers come from elsewhere.
        var self = await JoinSelfAsync(runner: false);
        var target = ProbeTarget.Parse("tcp:127.0.0.1:1");
        var channel = Channel.CreateUnbounded<CheckCell>();
        var deadline = TestTime.Seconds(2);
        var coordinator = Sys.ActorOf(CheckCoordinator.Props([self], [new RunProbe(target)], channel.Writer, deadline));
        Watch(coordinator);
        // A stopped runner's answer through dead letters, or anyone else's, is not the member's.
        coordinator.Tell(ProbeActor.Failed(target, new PythonError("ConnectionAbortedError", 103, "probe runner stopped")), ActorRefs.NoSender);
        coordinator.Tell(ProbeActor.Failed(target, new PythonError("ConnectionAbortedError", 103, "probe runner stopped")), TestActor);
        var cells = await ReadAllAsync(channel.Reader, TestTime.Seconds(10));
        await ExpectTerminatedAsync(coordinator);
        Assert.Equal($"self ({self.Address}): no answer within {deadline.TotalSeconds:0.###} s", Assert.Single(cells).Result.Error!.Strerror);
    }

    [Fact]
    public async Task StoppedFromOutside_TheChannelCompletes()
    {
        var self = await JoinSelfAsync();
        var silent = new CheckMember("silent", Address.Parse("akka.tcp://agent@127.0.0.1:2"), true);
        var channel = Channel.CreateUnbounded<CheckCell>();
        var coordinator = Sys.ActorOf(CheckCoordinator.Props([self, silent], [new(ProbeTarget.Parse("dns:localhost"))], channel.Writer, TimeSpan.FromMinutes(5)));
        Watch(coordinator);
        Sys.Stop(coordinator);
        await ExpectTerminatedAsync(coordinator);
        var cells = await ReadAllAsync(channel.Reader, TestTime.Seconds(5));
        Assert.True(cells.Count <= 1);
    }

    [Fact]
    public void Deadline_TheSlowestProbesBoundPerRoundPlusTheMargin()
    {
        var slow = new RunProbe(ProbeTarget.Parse("dns:a"), new ProbeOptions(TimeSpan.FromSeconds(4), Retries: 1));
        var quick = new RunProbe(ProbeTarget.Parse("dns:b"), new ProbeOptions(TimeSpan.FromSeconds(1)));
        var bound = ProbeActor.AnswerBound(slow.EffectiveOptions);
        Assert.Equal(bound + CheckCoordinator.Margin, CheckCoordinator.Deadline([slow, quick], 64));
        Assert.Equal(bound * 2 + CheckCoordinator.Margin, CheckCoordinator.Deadline([slow, quick], 1));
        Assert.Throws<ArgumentException>(() => CheckCoordinator.Props([], [quick, quick], Channel.CreateUnbounded<CheckCell>().Writer, TimeSpan.FromSeconds(1)));
    }
}
