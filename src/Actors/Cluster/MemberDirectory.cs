using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using static Akka.Cluster.ClusterEvent;

namespace Agent.Actors.Cluster;

/// <summary>
/// This node's view of the cluster, for the API and the CLI: every member with its name, address, status, labels,
/// reachability, and the time this node first saw it Up (Akka keeps no such time; a member that was Up before this
/// node joined is dated when this node learnt of it). Also enforces unique names: when two Up members carry the same
/// name, the younger one (the later to become Up) is told by its own directory to leave; its observer gets
/// <see cref="NameTaken"/> and stops the node. Answers <see cref="GetMembers"/> with <see cref="MemberList"/>.
/// </summary>
public sealed class MemberDirectory : UntypedActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly IActorRef? _observer;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, Entry> _members = [];
    private bool _leaving;

    private MemberDirectory(IActorRef? observer, TimeProvider time)
    {
        _observer = observer;
        _time = time;
    }

    /// <summary>The directory; <paramref name="observer"/> gets <see cref="SelfUp"/> and <see cref="NameTaken"/>.</summary>
    public static Props Props(IActorRef? observer, TimeProvider? time = null) =>
        FactoryProps.Of(() => new MemberDirectory(observer, time ?? TimeProvider.System));

    /// <inheritdoc />
    protected override void PreStart() =>
        _cluster.Subscribe(Self, InitialStateAsEvents, typeof(IMemberEvent), typeof(IReachabilityEvent));

    /// <inheritdoc />
    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case GetMembers:
                Sender.Tell(List(), Self);
                break;
            case MemberUp up:
                Update(up.Member, seenUp: true);
                if (up.Member.Address.Equals(_cluster.SelfAddress))
                {
                    _observer?.Tell(new SelfUp(NodeNames.NameOf(up.Member.Roles) ?? "", up.Member.Address.ToString()), Self);
                }
                CheckNames();
                break;
            case MemberRemoved removed:
                _members.Remove(removed.Member.Address);
                break;
            case IMemberEvent changed:
                Update(changed.Member, seenUp: false);
                break;
            case UnreachableMember unreachable:
                SetReachable(unreachable.Member, false);
                break;
            case ReachableMember reachable:
                SetReachable(reachable.Member, true);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Update(Member member, bool seenUp)
    {
        var known = _members.GetValueOrDefault(member.Address);
        var upSince = known?.UpSince ?? (seenUp || member.Status == MemberStatus.Up ? _time.GetUtcNow() : null);
        _members[member.Address] = new Entry(member, known?.Reachable ?? true, upSince);
    }

    private void SetReachable(Member member, bool reachable)
    {
        var known = _members.GetValueOrDefault(member.Address);
        _members[member.Address] = new Entry(member, reachable, known?.UpSince);
    }

    // Two Up members with one name: the younger leaves, decided by each node alike from the same facts (up numbers).
    private void CheckNames()
    {
        if (_leaving || !_members.TryGetValue(_cluster.SelfAddress, out var self) || self.Member.Status != MemberStatus.Up)
        {
            return;
        }
        var name = NodeNames.NameOf(self.Member.Roles);
        var holder = _members.Values
            .Where(entry => !entry.Member.Address.Equals(_cluster.SelfAddress) && entry.Member.Status == MemberStatus.Up
                && NodeNames.NameOf(entry.Member.Roles) == name && entry.Member.IsOlderThan(self.Member))
            .Select(entry => entry.Member)
            .FirstOrDefault();
        if (holder is null)
        {
            return;
        }
        _leaving = true;
        _log.Error("node name {Name} is taken by {Holder} (this node: {Self}); leaving the cluster", name, holder.Address, _cluster.SelfAddress);
        _observer?.Tell(new NameTaken(name ?? "", holder.Address.ToString(), _cluster.SelfAddress.ToString()), Self);
    }

    private MemberList List()
    {
        var self = _members.GetValueOrDefault(_cluster.SelfAddress)?.Member;
        var members = _members.Values
            .OrderBy(entry => NodeNames.NameOf(entry.Member.Roles), StringComparer.Ordinal)
            .ThenBy(entry => entry.Member.Address.ToString(), StringComparer.Ordinal)
            .Select(entry => new MemberInfo(
                NodeNames.NameOf(entry.Member.Roles) ?? "",
                entry.Member.Address.ToString(),
                entry.Member.Status.ToString(),
                entry.Reachable,
                NodeNames.LabelsOf(entry.Member.Roles),
                entry.UpSince))
            .ToList();
        return new MemberList(self is null ? null : NodeNames.NameOf(self.Roles), _cluster.SelfAddress.ToString(), members);
    }

    private sealed record Entry(Member Member, bool Reachable, DateTimeOffset? UpSince);

    /// <summary>Asks for the members; the reply is <see cref="MemberList"/>.</summary>
    public sealed record GetMembers
    {
        /// <summary>The only value.</summary>
        public static GetMembers Instance { get; } = new();
    }

    /// <summary>The members this node knows, sorted by name.</summary>
    /// <param name="Self">This node's name; null until it has joined.</param>
    /// <param name="SelfAddress">This node's remoting address.</param>
    /// <param name="Members">Every member that has not been removed.</param>
    public sealed record MemberList(string? Self, string SelfAddress, IReadOnlyList<MemberInfo> Members);

    /// <summary>One member.</summary>
    /// <param name="Name">Its node name.</param>
    /// <param name="Address">Its remoting address (<c>akka.tcp://agent@127.0.0.1:4053</c>).</param>
    /// <param name="Status">Akka's status word: Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed.</param>
    /// <param name="Reachable">False while this node's failure detector finds it unreachable.</param>
    /// <param name="Labels">Its labels.</param>
    /// <param name="UpSince">When this node first saw it Up; null before.</param>
    public sealed record MemberInfo(string Name, string Address, string Status, bool Reachable,
        IReadOnlyDictionary<string, string> Labels, DateTimeOffset? UpSince);

    /// <summary>Told to the observer when this node has become Up.</summary>
    /// <param name="Name">This node's name.</param>
    /// <param name="Address">Its remoting address.</param>
    public sealed record SelfUp(string Name, string Address);

    /// <summary>Told to the observer when an older member holds this node's name: the node must leave.</summary>
    /// <param name="Name">The name both carry.</param>
    /// <param name="Holder">The older member's address (it keeps the name).</param>
    /// <param name="Self">This node's address.</param>
    public sealed record NameTaken(string Name, string Holder, string Self);
}
