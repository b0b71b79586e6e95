using Agent.Messages.Checks;
using Akka.Actor;

namespace Agent.Actors.Checks;

/// <summary>One continuous check a node runs: its targets, probed every <paramref name="Interval"/>.</summary>
/// <param name="Name">The check's name (unique on the node).</param>
/// <param name="Interval">How often each target is probed.</param>
/// <param name="Probes">The targets with their options; a target is in one check only.</param>
/// <param name="History">Results kept per target for its history.</param>
public sealed record ContinuousCheck(string Name, TimeSpan Interval, IReadOnlyList<RunProbe> Probes, int History);

/// <summary>
/// A node's continuous checks (<c>/user/checks</c>): every target of every check is probed through the node's
/// <see cref="ProbeRunner"/> once per interval, each target at a phase of its own drawn at random within the interval
/// (probers in step would hit a target together and fake latency spikes; a fixed phase keeps the spacing even). A probe
/// still running when its next turn comes is not doubled: the turn is skipped. Each target keeps its latest result and
/// a bounded history (the check's <c>history</c> last results), and every result is handed to <c>record</c> (the
/// node's metrics). A result the runner answered from its cache (another check probed the target moments ago) is not a
/// sample of this check's and is left out. Answers <see cref="GetLatestChecks"/> with <see cref="LatestChecks"/>, a page at a time.
/// </summary>
public sealed class ContinuousChecks : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under <c>/user</c>, the same on every node.</summary>
    public const string Name = "checks";

    private readonly string _node;
    private readonly IReadOnlyList<ContinuousCheck> _checks;
    private readonly IActorRef _runner;
    private readonly Action<ProbeResult>? _record;
    private readonly Dictionary<ProbeTarget, Cell> _cells = [];

    private ContinuousChecks(string node, IReadOnlyList<ContinuousCheck> checks, IActorRef runner, Action<ProbeResult>? record)
    {
        _node = node;
        _checks = checks;
        _runner = runner;
        _record = record;
        foreach (var check in checks)
        {
            foreach (var probe in check.Probes)
            {
                _cells.Add(probe.Target, new Cell(check, probe));
            }
        }
        Receive<Turn>(OnTurn);
        Receive<ProbeResult>(OnResult);
        Receive<GetLatestChecks>(get => Sender.Tell(Latest(get.Check, get.Offset)));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The checks of node <paramref name="node"/>, probing through <paramref name="runner"/>; <paramref name="record"/>
    /// (may be null) gets every result, on the actor's thread.
    /// </summary>
    /// <exception cref="ArgumentException">A target is in two checks, or a check has no target, a history below 1 or an interval not above zero.</exception>
    public static Props Props(string node, IReadOnlyList<ContinuousCheck> checks, IActorRef runner, Action<ProbeResult>? record = null)
    {
        var targets = checks.SelectMany(check => check.Probes).Select(probe => probe.Target).ToList();
        if (targets.Distinct().Count() != targets.Count)
        {
            throw new ArgumentException("a target is in one continuous check only", nameof(checks));
        }
        if (checks.Any(check => check.Probes.Count == 0 || check.History < 1 || check.Interval <= TimeSpan.Zero))
        {
            throw new ArgumentException("each continuous check needs a target, a history of at least 1 and an interval above zero", nameof(checks));
        }
        return FactoryProps.Of(() => new ContinuousChecks(node, checks, runner, record));
    }

    /// <summary>The latencies' percentile <paramref name="p"/> (0-100) by nearest rank; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <inheritdoc />
    protected override void PreStart()
    {
        foreach (var cell in _cells.Values)
        {
            var interval = cell.Check.Interval;
            Timers.StartPeriodicTimer(cell.Probe.Target, new Turn(cell.Probe.Target), TimeSpan.FromTicks(Random.Shared.NextInt64(interval.Ticks)), interval);
        }
    }

    private void OnTurn(Turn turn)
    {
        var cell = _cells[turn.Target];
        // The runner answers every probe within its bound; a turn past that is taken even if the answer was lost.
        if (cell.AskedAt is { } asked && DateTime.UtcNow - asked < ProbeActor.AnswerBound(cell.Probe.EffectiveOptions) + ProbeActor.Slack)
        {
            return;
        }
        cell.AskedAt = DateTime.UtcNow;
        _runner.Tell(cell.Probe, Self);
    }

    private void OnResult(ProbeResult result)
    {
        if (!_cells.TryGetValue(result.Target, out var cell) || cell.AskedAt is null)
        {
            Unhandled(result);
            return;
        }
        cell.AskedAt = null;
        if (result.Cached)
        {
            // Another check probed the target moments ago and the runner answered with that: not this check's sample.
            return;
        }
        cell.Latest = result;
        cell.History.Enqueue(result.Ok ? result.LatencyMs ?? 0 : null);
        while (cell.History.Count > cell.Check.History)
        {
            cell.History.Dequeue();
        }
        _record?.Invoke(result);
    }

    private LatestChecks Latest(string? check, int offset)
    {
        var probed = _checks.Where(c => check is null || c.Name == check)
            .SelectMany(each => each.Probes.Select(probe => (Check: each, Cell: _cells[probe.Target])))
            .Where(entry => entry.Cell.Latest is not null)
            .ToList();
        var cells = new List<LatestCell>();
        foreach (var (each, cell) in probed.Skip(Math.Max(offset, 0)).Take(LatestChecks.PageSize))
        {
            var ok = cell.History.OfType<double>().Order().ToList();
            cells.Add(new LatestCell(each.Name, cell.Latest!, new CellHistory(cell.History.Count, ok.Count, Percentile(ok, 50), Percentile(ok, 90), Percentile(ok, 99))));
        }
        var next = Math.Max(offset, 0) + cells.Count;
        return new LatestChecks(_node, cells, next < probed.Count ? next : null);
    }

    private sealed class Cell(ContinuousCheck check, RunProbe probe)
    {
        public ContinuousCheck Check { get; } = check;

        public RunProbe Probe { get; } = probe;

        public ProbeResult? Latest { get; set; }

        public DateTime? AskedAt { get; set; }

        // The last results: the latency of an ok one, null for a failure.
        public Queue<double?> History { get; } = new();
    }

    private sealed record Turn(ProbeTarget Target) : ISelfMessage;
}
