using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Checks;
using Akka.Actor;
using Akka.Event;

namespace Agent.Actors.Checks;

/// <summary>
/// One probe run (<see cref="RunProbe"/>): tells its requester exactly one <see cref="ProbeResult"/>, then stops. Each
/// attempt is a child <see cref="ProbeAttempt"/> owning its socket (through the IO manager) or its resolver request;
/// a failed attempt is run again up to <see cref="ProbeOptions.Retries"/> times. Family <c>both</c> runs an IPv4 and an
/// IPv6 line of attempts side by side, so both fit the same deadline. Whatever happens (a child that crashes, a reply
/// that never comes) the result goes out by <see cref="AnswerBound"/>: failures are results, never exceptions.
/// </summary>
public sealed class ProbeActor : ReceiveActor, IWithTimers
{
    /// <summary>Slack over the attempts' own deadlines before the probe answers <c>TimeoutError</c> for what is left: 1 s.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    private readonly RunProbe _run;
    private readonly ProbeOptions _options;
    private readonly IActorRef _requester;
    private readonly IActorRef _io;
    private readonly IActorRef _resolver;
    private readonly IoSettings _ioSettings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<Line> _lines = [];
    private readonly Dictionary<IActorRef, Line> _running = [];
    private DateTimeOffset _startedAt;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private bool _answered;

    private ProbeActor(RunProbe run, IActorRef requester, IActorRef io, IActorRef resolver, IoSettings ioSettings)
    {
        _run = run;
        _options = run.EffectiveOptions;
        _requester = requester;
        _io = io;
        _resolver = resolver;
        _ioSettings = ioSettings;
        Receive<AttemptOutcome>(OnOutcome);
        Receive<Terminated>(OnTerminated);
        Receive<Overdue>(_ => OnOverdue());
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// A probe of <paramref name="run"/> answering <paramref name="requester"/>. <paramref name="io"/> is the IO manager
    /// whose settings are <paramref name="ioSettings"/> (defaults when null); <paramref name="resolver"/> a
    /// <c>ResolverActor</c> (dns probes, and connects restricted to one family).
    /// </summary>
    public static Props Props(RunProbe run, IActorRef requester, IActorRef io, IActorRef resolver, IoSettings? ioSettings = null) =>
        FactoryProps.Of(() => new ProbeActor(run, requester, io, resolver, ioSettings ?? IoSettings.Default));

    /// <summary>
    /// The latest a probe with <paramref name="options"/> answers after it starts: every attempt's timeout, each
    /// datagram attempt's late grace, and <see cref="Slack"/>.
    /// </summary>
    public static TimeSpan AnswerBound(ProbeOptions options) =>
        (options.Timeout + ProbeAttempt.LateGrace(options.Timeout)) * (options.Retries + 1) + Slack;

    /// <summary>A result that is only an error (bad options, a full queue, a crash): not ok, no attempt counted unless given.</summary>
    public static ProbeResult Failed(ProbeTarget target, PythonError error, int attempts = 0, DateTimeOffset? startedAt = null) =>
        new(target, false, null, null, error, null, attempts, StartedAt: startedAt);

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <inheritdoc />
    protected override void PreStart()
    {
        _startedAt = DateTimeOffset.UtcNow;
        if (_run.Validate() is { } problem)
        {
            Answer(Failed(_run.Target, new PythonError("ValueError", null, problem)));
            return;
        }
        var families = _run.Target.IsUnix ? [FamilyMode.Any]
            : _options.Family == FamilyMode.Both ? [FamilyMode.Ip4, FamilyMode.Ip6]
            : new[] { _options.Family };
        foreach (var family in families)
        {
            var line = new Line(family);
            _lines.Add(line);
            StartAttempt(line);
        }
        Timers.StartSingleTimer(nameof(Overdue), Overdue.Instance, AnswerBound(_options));
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        if (!_answered)
        {
            // Stopped from outside (the runner or the node stopping): the requester still gets its one answer.
            Reply(Failed(_run.Target, new PythonError("ConnectionAbortedError", OsErrors.ECONNABORTED, "probe stopped before it finished"),
                _lines.Count == 0 ? 0 : _lines.Max(l => l.Attempts), _startedAt));
        }
    }

    private void StartAttempt(Line line)
    {
        line.Attempts++;
        var attempt = Context.ActorOf(ProbeAttempt.Props(_run.Target, _options with { Family = line.Family }, _io, _resolver, _ioSettings));
        Context.Watch(attempt);
        _running[attempt] = line;
    }

    private void OnOutcome(AttemptOutcome outcome)
    {
        if (!_running.Remove(Sender, out var line))
        {
            return;
        }
        Context.Unwatch(Sender);
        Settle(line, outcome);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_running.Remove(terminated.ActorRef, out var line))
        {
            // Stopped without an outcome: it crashed (logged by its supervision). A failed attempt like any other.
            Settle(line, new AttemptOutcome(false, null, null, new PythonError("RuntimeError", null, "probe attempt crashed"), null, null));
        }
    }

    private void Settle(Line line, AttemptOutcome outcome)
    {
        if (!outcome.Ok && line.Attempts <= _options.Retries)
        {
            StartAttempt(line);
            return;
        }
        line.Outcome = outcome;
        if (_lines.All(l => l.Outcome is not null))
        {
            Answer(Combine());
        }
    }

    private void OnOverdue()
    {
        // An attempt overran its own deadline by the whole slack: a bug or a stalled actor, never a hang for the requester.
        _log.Warning("Probe of {Target} overdue: answering TimeoutError for what is still running", _run.Target);
        foreach (var line in _lines.Where(l => l.Outcome is null))
        {
            line.Outcome = new AttemptOutcome(false, null, null, OsErrors.TimedOut, null, null);
        }
        Answer(Combine());
    }

    private ProbeResult Combine()
    {
        var results = _lines.Select(l => new FamilyResult(
            l.Family, l.Outcome!.Ok, l.Outcome.Ok ? l.Outcome.LatencyMs : null, l.Outcome.Address, l.Outcome.Error, l.Attempts,
            l.Outcome.Dns, l.Outcome.Datagrams)).ToList();
        if (results.Count == 1)
        {
            var only = results[0];
            return new ProbeResult(_run.Target, only.Ok, only.LatencyMs, only.Address, only.Error, null, only.Attempts,
                only.Dns, only.Datagrams, StartedAt: _startedAt);
        }
        var ok = results.All(r => r.Ok);
        var answers = results.Where(r => r.Dns is not null).Select(r => r.Dns!).ToList();
        var dns = answers.Count == 0 ? null
            : new DnsAnswer(answers.SelectMany(a => a.Addresses).Distinct().ToList(), answers.Select(a => a.CanonName).FirstOrDefault(n => n is not null));
        return new ProbeResult(_run.Target, ok, ok ? results.Max(r => r.LatencyMs) : null,
            results.Select(r => r.Address).FirstOrDefault(a => a is not null), results.Select(r => r.Error).FirstOrDefault(e => e is not null),
            results, results.Max(r => r.Attempts), dns, StartedAt: _startedAt);
    }

    private void Answer(ProbeResult result)
    {
        Reply(result);
        Context.Stop(Self);
    }

    private void Reply(ProbeResult result)
    {
        if (_answered)
        {
            return;
        }
        _answered = true;
        _requester.Tell(result with { DurationMs = _clock.Elapsed.TotalMilliseconds }, Self);
    }

    // One family's attempts.
    private sealed class Line(FamilyMode family)
    {
        public FamilyMode Family { get; } = family;

        public int Attempts { get; set; }

        public AttemptOutcome? Outcome { get; set; }
    }

    private sealed record Overdue : ISelfMessage
    {
        public static readonly Overdue Instance = new();
    }
}
