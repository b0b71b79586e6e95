using System.Threading.Channels;
using Agent.Messages;
using Agent.Messages.Checks;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using static Akka.Cluster.ClusterEvent;

namespace Agent.Actors.Checks;

/// <summary>
/// One check on the node that received it: sends every probe to the <see cref="ProbeRunner"/> of every chosen member
/// at once (<c>/user/probes</c> on each node), and writes each cell (member x target) to <c>cells</c> as its result
/// arrives, so the matrix fills in while the probes run. Every cell is written exactly once, then the channel is
/// completed and the coordinator stops: a member that is unreachable when the check starts, becomes unreachable or
/// leaves while it runs, or has not answered by the deadline gets <c>NodeUnreachable</c> results in its missing cells,
/// never a wait beyond the deadline. Stopped from outside (the caller went away), it completes the channel as it stops.
/// </summary>
public sealed class CheckCoordinator : ReceiveActor, IWithTimers
{
    /// <summary>How much longer than the probes' own bound the members are given: the time for results to travel.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<CheckMember> _members;
    private readonly IReadOnlyList<RunProbe> _probes;
    private readonly ChannelWriter<CheckCell> _cells;
    private readonly TimeSpan _deadline;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<ProbeTarget, int> _targetIndex;
    private readonly Dictionary<Address, int> _memberIndex;
    // Per member, which targets still wait for their cell.
    private readonly HashSet<int>[] _missing;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private int _remaining;

    private CheckCoordinator(IReadOnlyList<CheckMember> members, IReadOnlyList<RunProbe> probes, ChannelWriter<CheckCell> cells, TimeSpan deadline)
    {
        _members = members;
        _probes = probes;
        _cells = cells;
        _deadline = deadline;
        _targetIndex = probes.Select((probe, i) => (probe.Target, i)).ToDictionary(e => e.Target, e => e.i);
        _memberIndex = members.Select((member, i) => (member.Address, i)).ToDictionary(e => e.Address, e => e.i);
        _missing = [.. members.Select(_ => new HashSet<int>(Enumerable.Range(0, probes.Count)))];
        _remaining = members.Count * probes.Count;
        Receive<ProbeResult>(OnResult);
        Receive<UnreachableMember>(e => Gone(e.Member.Address, "it became unreachable during the check (the failure detector lost its heartbeats)"));
        Receive<MemberRemoved>(e => Gone(e.Member.Address, "it left the cluster during the check"));
        Receive<DeadlinePassed>(_ =>
        {
            for (var m = 0; m < _members.Count; m++)
            {
                FillUnreachable(m, $"no answer within {_deadline.TotalSeconds:0.###} s");
            }
        });
        Receive<CurrentClusterState>(OnClusterState);
        Receive<IMemberEvent>(_ => { });
        Receive<IReachabilityEvent>(_ => { });
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// A check of <paramref name="probes"/> (distinct targets) from <paramref name="members"/>, writing each cell to
    /// <paramref name="cells"/> within <paramref name="deadline"/> (see <see cref="Deadline"/>).
    /// </summary>
    public static Props Props(IReadOnlyList<CheckMember> members, IReadOnlyList<RunProbe> probes, ChannelWriter<CheckCell> cells, TimeSpan deadline)
    {
        if (probes.Select(p => p.Target).Distinct().Count() != probes.Count)
        {
            throw new ArgumentException("a check probes each target once", nameof(probes));
        }
        return FactoryProps.Of(() => new CheckCoordinator(members, probes, cells, deadline));
    }

    /// <summary>
    /// The deadline of a check of <paramref name="probes"/> on members running <paramref name="maxConcurrent"/> probes at
    /// once: the slowest probe's answer bound for each round of probes a member runs, plus <see cref="Margin"/>.
    /// </summary>
    public static TimeSpan Deadline(IReadOnlyList<RunProbe> probes, int maxConcurrent)
    {
        var slowest = probes.Count == 0 ? TimeSpan.Zero : probes.Max(p => ProbeActor.AnswerBound(p.EffectiveOptions));
        var rounds = (probes.Count + maxConcurrent - 1) / maxConcurrent;
        return slowest * Math.Max(rounds, 1) + Margin;
    }

    /// <summary>The result written into a cell whose member cannot answer.</summary>
    public static ProbeResult Unreachable(ProbeTarget target, CheckMember member, string why) =>
        ProbeActor.Failed(target, new PythonError("NodeUnreachable", null, $"{member.Name} ({member.Address}): {why}"));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _cluster.Subscribe(Self, InitialStateAsSnapshot, typeof(IReachabilityEvent), typeof(IMemberEvent));
        for (var m = 0; m < _members.Count; m++)
        {
            var member = _members[m];
            if (!member.Reachable)
            {
                FillUnreachable(m, "it is unreachable (the failure detector lost its heartbeats)");
                continue;
            }
            var runner = Context.ActorSelection(new RootActorPath(member.Address) / "user" / ProbeRunner.Name);
            foreach (var probe in _probes)
            {
                runner.Tell(probe, Self);
            }
        }
        if (_remaining > 0)
        {
            Timers.StartSingleTimer(nameof(DeadlinePassed), DeadlinePassed.Instance, _deadline);
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _cells.TryComplete();
    }

    // Members that became unreachable or left between the member list the check was given and the subscription.
    private void OnClusterState(CurrentClusterState state)
    {
        foreach (var member in state.Unreachable)
        {
            Gone(member.Address, "it became unreachable as the check started (the failure detector lost its heartbeats)");
        }
        var current = state.Members.Select(member => member.Address).ToHashSet();
        foreach (var member in _members.Where(member => !current.Contains(member.Address)).ToList())
        {
            Gone(member.Address, "it left the cluster as the check started");
        }
    }

    private void OnResult(ProbeResult result)
    {
        // Only a member's probe runner speaks for the member (not, say, dead letters answering for a stopped one).
        var from = Sender.Path.Address.HasLocalScope ? _cluster.SelfAddress : Sender.Path.Address;
        if (Sender.Path.Elements is not ["user", ProbeRunner.Name] || !_memberIndex.TryGetValue(from, out var m) || !_targetIndex.TryGetValue(result.Target, out var t))
        {
            _log.Warning("Check result for {Target} from {Sender}, which the check did not ask", result.Target, Sender.Path);
            return;
        }
        Write(m, t, result);
    }

    private void Gone(Address address, string why)
    {
        if (_memberIndex.TryGetValue(address, out var m))
        {
            FillUnreachable(m, why);
        }
    }

    private void FillUnreachable(int m, string why)
    {
        foreach (var t in _missing[m].Order().ToList())
        {
            Write(m, t, Unreachable(_probes[t].Target, _members[m], why));
        }
    }

    // Each cell once: a result after the member was given up on (or a duplicate) is dropped.
    private void Write(int m, int t, ProbeResult result)
    {
        if (!_missing[m].Remove(t))
        {
            return;
        }
        _cells.TryWrite(new CheckCell(m, t, result));
        if (--_remaining == 0)
        {
            Context.Stop(Self);
        }
    }

    private sealed record DeadlinePassed
    {
        public static readonly DeadlinePassed Instance = new();
    }
}

/// <summary>A member a check runs on.</summary>
/// <param name="Name">Its node name.</param>
/// <param name="Address">Its remoting address.</param>
/// <param name="Reachable">False when the failure detector finds it unreachable as the check starts.</param>
public sealed record CheckMember(string Name, Address Address, bool Reachable);

/// <summary>One cell of a check's matrix, as it arrives.</summary>
/// <param name="Member">The member's index in the check's members.</param>
/// <param name="Target">The target's index in the check's probes.</param>
/// <param name="Result">The member's result for the target (<c>NodeUnreachable</c> when it could not answer).</param>
public sealed record CheckCell(int Member, int Target, ProbeResult Result);
