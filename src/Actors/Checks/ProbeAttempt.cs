using System.Diagnostics;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Messages.Io;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Actors.Checks;

/// <summary>
/// One attempt of one probe for one family (<see cref="FamilyMode.Any"/>, <see cref="FamilyMode.Ip4"/> or
/// <see cref="FamilyMode.Ip6"/>): owns its resolver request or its socket (through the IO manager), tells its parent
/// exactly one <see cref="AttemptOutcome"/> within the timeout (datagram echoes: plus the late grace), then stops.
/// Its socket is closed when it stops, whatever happened. Split by probe kind into partial files.
/// </summary>
internal sealed partial class ProbeAttempt : ReceiveActor, IWithTimers
{
    private readonly ProbeTarget _target;
    private readonly ProbeOptions _options;
    private readonly IActorRef _io;
    private readonly IActorRef _resolver;
    private readonly IoSettings _ioSettings;
    private long _started;
    private bool _done;

    private ProbeAttempt(ProbeTarget target, ProbeOptions options, IActorRef io, IActorRef resolver, IoSettings ioSettings)
    {
        _target = target;
        _options = options;
        _io = io;
        _resolver = resolver;
        _ioSettings = ioSettings;
        Receive<Resolved>(OnResolved);
        Receive<ResolutionFailed>(failed => Finish(Failure(failed.Error)));
        Receive<ConnectionRace.Adopt>(adopt => _io.Tell(adopt, Self));
        Receive<SockStream.Connected>(OnStreamConnected);
        Receive<SockStream.Received>(OnStreamReceived);
        Receive<SockStream.WriteAck>(OnWriteAck);
        Receive<SockStream.ConnectionClosed>(OnStreamClosed);
        Receive<SockStream.CommandFailed>(failed => Finish(IsQuery ? QueryFailure(failed.Cause) : Failure(failed.Cause)));
        Receive<SockDgram.Connected>(OnDatagramConnected);
        Receive<SockDgram.Received>(OnDatagramReceived);
        Receive<SockDgram.ErrorReceived>(e => Finish(Failure(e.Cause) with { Datagrams = Counts() }));
        Receive<SockDgram.CommandFailed>(failed => Finish(Failure(failed.Cause) with { Datagrams = Counts() }));
        Receive<SendNext>(_ => SendDatagram());
        Receive<Deadline>(_ => OnDeadline());
        Receive<GraceOver>(_ => FinishDatagrams());
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// One attempt; <paramref name="options"/>' family must not be <see cref="FamilyMode.Both"/> (the
    /// <see cref="ProbeActor"/> splits it). <paramref name="resolver"/> answers getaddrinfo for dns and for a family
    /// restricted connect; <paramref name="ioSettings"/> are <paramref name="io"/>'s.
    /// </summary>
    public static Props Props(ProbeTarget target, ProbeOptions options, IActorRef io, IActorRef resolver, IoSettings ioSettings) =>
        FactoryProps.Of(() => new ProbeAttempt(target, options, io, resolver, ioSettings));

    /// <summary>
    /// How long after the timeout a datagram echo still listens for late datagrams: a quarter of the timeout, at most
    /// 250 ms. Only an attempt still missing datagrams at its timeout waits it.
    /// </summary>
    public static TimeSpan LateGrace(TimeSpan timeout) => TimeSpan.FromTicks(Math.Min(timeout.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _started = Stopwatch.GetTimestamp();
        Timers.StartSingleTimer(nameof(Deadline), Deadline.Instance, _options.Timeout);
        switch (_target.Kind)
        {
            case ProbeKind.Dns:
                StartDns();
                break;
            case ProbeKind.Tcp or ProbeKind.TcpEcho or ProbeKind.UnixEcho:
                StartStream();
                break;
            default:
                StartDatagram();
                break;
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        // A connection still open (an attempt that failed or timed out mid-exchange) is reset, a datagram socket closed.
        _stream?.Tell(SockStream.Abort.Instance, ActorRefs.NoSender);
        _datagram?.Tell(SockDgram.Unbind.Instance, ActorRefs.NoSender);
    }

    private double ElapsedMs(long since) => Stopwatch.GetElapsedTime(since).TotalMilliseconds;

    private void OnDeadline()
    {
        if (_target.Kind is ProbeKind.UdpEcho or ProbeKind.UnixDgramEcho && _datagram is not null)
        {
            BeginGrace();
            return;
        }
        Finish(IsQuery ? QueryFailure(QueryTimedOut()) : Failure(OsErrors.TimedOut));
    }

    private static AttemptOutcome Failure(PythonError error) => new(false, null, null, error, null, null);

    private void Finish(AttemptOutcome outcome)
    {
        if (_done)
        {
            return;
        }
        _done = true;
        Context.Parent.Tell(outcome, Self);
        Context.Stop(Self);
    }

    private sealed record Deadline : ISelfMessage
    {
        public static readonly Deadline Instance = new();
    }

    private sealed record SendNext : ISelfMessage
    {
        public static readonly SendNext Instance = new();
    }

    private sealed record GraceOver : ISelfMessage
    {
        public static readonly GraceOver Instance = new();
    }
}

/// <summary>What one <see cref="ProbeAttempt"/> tells its parent, exactly once.</summary>
internal sealed record AttemptOutcome(bool Ok, double? LatencyMs, string? Address, PythonError? Error, DnsAnswer? Dns, DatagramCounts? Datagrams)
    : INoSerializationVerificationNeeded;
