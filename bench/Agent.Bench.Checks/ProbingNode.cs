using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Agent.Actors;
using Agent.Actors.Checks;
using Agent.Actors.Io;
using Agent.Actors.Resolution;
using Agent.Bench.Remote;
using Agent.Messages.Checks;
using Akka.Actor;
using Akka.Configuration;

namespace Agent.Bench.Checks;

/// <summary>A command to the probing node, one JSON line on its stdin.</summary>
/// <param name="Kind"><c>run</c>: keep one probe per target in flight, warm up, measure, answer a <see cref="NodeSample"/>; <c>once</c>: probe the first target once and answer its <see cref="ProbeResult"/>.</param>
/// <param name="Targets">One target per slot (probe target grammar).</param>
/// <param name="Family">The probes' address family.</param>
internal sealed record NodeCommand(string Kind, IReadOnlyList<string> Targets, FamilyMode Family, double WarmupSeconds, double DurationSeconds);

/// <summary>
/// What the probing node measured for one <c>run</c>: answers in the window, their round trips, its own CPU and
/// allocations, and the exceptions thrown (the most frequent kinds as <c>COUNT TYPE from METHOD</c>).
/// </summary>
internal sealed record NodeSample(
    long Ok,
    long FailedMeasured,
    long Failed,
    string? FirstFailure,
    double Seconds,
    double P50Us,
    double P99Us,
    double CpuSeconds,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    long Exceptions,
    IReadOnlyList<string> ExceptionSources,
    int Threads);

/// <summary>
/// The measured side, <c>--node</c>: an actor system holding a resolver, an IO manager and a <see cref="ProbeRunner"/>
/// built as <c>NodeHost</c> builds them (with the agent's default settings), driven by <see cref="NodeCommand"/>s on
/// stdin. The driver starts it on the probing core, in a mount namespace whose <c>/etc/hosts</c>,
/// <c>/etc/resolv.conf</c> and <c>/etc/nsswitch.conf</c> are the bench's (<see cref="TestBed"/>). stdout carries only
/// the protocol: <c>READY</c>, then per <c>run</c> the lines <c>MEASURING</c> and <c>STOPPED</c> as the window opens
/// and closes (the driver reads CPU counters then) and the sample; Akka logs to stderr.
/// </summary>
internal static class ProbingNode
{
    public const string Ready = "READY";
    public const string MeasuringLine = "MEASURING";
    public const string StoppedLine = "STOPPED";

    /// <summary>
    /// The runner's settings: the defaults (64 probes at once, 1,024 queued) but no answers from recent results, so
    /// every answer is a probe that ran.
    /// </summary>
    // First-chance exceptions thrown in this process (a thrown exception costs tens of microseconds: worth counting per probe).
    private static long _exceptions;
    private static readonly ConcurrentDictionary<string, long> ExceptionCounts = new();

    public static ProbeRunnerSettings RunnerSettings { get; } = ProbeRunnerSettings.Default with { MinInterval = TimeSpan.Zero };

    /// <summary>
    /// Slot <paramref name="slot"/>'s options: the defaults (32-byte payload, no retries) with a timeout of 5 s plus
    /// <paramref name="slot"/> ms. The runner joins a request to a probe already running with the same target and
    /// options; the distinct timeout makes each slot's probe its own, whatever its target, and changes nothing a
    /// probe that succeeds does.
    /// </summary>
    public static ProbeOptions OptionsOf(int slot, FamilyMode family) =>
        ProbeOptions.Default with { Timeout = ProbeOptions.Default.Timeout + TimeSpan.FromMilliseconds(slot), Family = family };

    public static async Task<int> RunAsync()
    {
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            Interlocked.Increment(ref _exceptions);
            var site = e.Exception.TargetSite;
            var kind = e.Exception is System.Net.Sockets.SocketException socket ? $"{nameof(System.Net.Sockets.SocketException)} ({socket.SocketErrorCode})" : e.Exception.GetType().Name;
            ExceptionCounts.AddOrUpdate($"{kind} from {site?.DeclaringType?.Name}.{site?.Name}", 1, (_, n) => n + 1);
        };
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              loggers = ["{{typeof(StderrLogger).FullName}}, {{typeof(StderrLogger).Assembly.GetName().Name}}"]
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
            }
            """);
        var system = ActorSystem.Create("agent", config).StartScheduler();
        // As NodeHost.AddIoManager builds them from the default configuration (config/agent.json holds the defaults).
        var resolverSettings = ResolverSettings.Default;
        var resolver = system.ActorOf(ResolverActor.Props(resolverSettings), "resolver");
        var io = system.ActorOf(IoManager.Props(IoSettings.Default, new ResolverActorAddressResolver(resolver, resolverSettings.Timeout + TimeSpan.FromSeconds(5))), "io");
        var runner = system.ActorOf(ProbeRunner.Props(io, resolver, RunnerSettings), "probes");
        await Console.Out.WriteLineAsync($"{Ready} {Environment.ProcessorCount} {Cpu.Affinity()}");
        await Console.Out.FlushAsync();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var command = JsonSerializer.Deserialize(line, ChecksBenchJson.Lines.NodeCommand)
                ?? throw new InvalidOperationException($"not a command: {line}");
            var targets = command.Targets.Select(ProbeTarget.Parse).ToList();
            var answer = command.Kind switch
            {
                "run" => JsonSerializer.Serialize(await MeasureAsync(system, runner, targets, command), ChecksBenchJson.Lines.NodeSample),
                "once" => JsonSerializer.Serialize(
                    await runner.Ask<ProbeResult>(new RunProbe(targets[0], OptionsOf(0, command.Family)), TimeSpan.FromSeconds(30)),
                    ChecksJsonContext.Default.ProbeResult),
                _ => throw new InvalidOperationException($"unknown command {command.Kind}"),
            };
            await Console.Out.WriteLineAsync(answer);
            await Console.Out.FlushAsync();
        }
        await system.Terminate();
        return 0;
    }

    private static async Task<NodeSample> MeasureAsync(ActorSystem system, IActorRef runner, IReadOnlyList<ProbeTarget> targets, NodeCommand command)
    {
        var load = new Load(targets.Count);
        var slots = targets.Select((target, i) => system.ActorOf(Props.Create(() => new Slot(load, runner, new RunProbe(target, OptionsOf(i, command.Family)), i)))).ToList();
        try
        {
            slots.ForEach(slot => slot.Tell(Slot.Go.Instance));
            await Task.Delay(TimeSpan.FromSeconds(command.WarmupSeconds));
            var self = Process.GetCurrentProcess();
            var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var cpu = Cpu.Of(self);
            var allocated = GC.GetTotalAllocatedBytes();
            var exceptions = Interlocked.Read(ref _exceptions);
            var sources = new Dictionary<string, long>(ExceptionCounts);
            var started = Stopwatch.GetTimestamp();
            load.StartMeasuring();
            await Console.Out.WriteLineAsync(MeasuringLine);
            await Console.Out.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(command.DurationSeconds));
            load.Stop();
            var elapsed = Stopwatch.GetElapsedTime(started);
            cpu = Cpu.Of(self) - cpu;
            allocated = GC.GetTotalAllocatedBytes() - allocated;
            exceptions = Interlocked.Read(ref _exceptions) - exceptions;
            List<string> thrown = [.. ExceptionCounts.Select(e => (Source: e.Key, Count: e.Value - sources.GetValueOrDefault(e.Key)))
                .Where(e => e.Count > 0).OrderByDescending(e => e.Count).Take(3).Select(e => $"{e.Count} {e.Source}")];
            (gen0, gen1, gen2) = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
            await Console.Out.WriteLineAsync(StoppedLine);
            await Console.Out.FlushAsync();
            if (await Task.WhenAny(load.Drained, Task.Delay(TimeSpan.FromSeconds(30))) != load.Drained)
            {
                throw new TimeoutException("probes still unanswered 30 s after the window");
            }
            var (p50, p99) = load.Percentiles();
            return new NodeSample(load.Ok, load.FailedMeasured, load.Failed, load.FirstFailure, elapsed.TotalSeconds, p50, p99,
                cpu.TotalSeconds, allocated, gen0, gen1, gen2, exceptions, thrown, self.Threads.Count);
        }
        finally
        {
            slots.ForEach(system.Stop);
        }
    }

    /// <summary>One probe in flight: sends its <see cref="RunProbe"/> to the runner, records the answer, sends it again.</summary>
    private sealed class Slot(Load load, IActorRef runner, RunProbe run, int slot) : UntypedActor
    {
        private long _sent;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Go:
                    Send();
                    break;
                case ProbeResult result:
                    // A cached answer would be no probe at all (the runner's MinInterval is off, so none is expected).
                    load.Record(slot, Stopwatch.GetTimestamp() - _sent,
                        result.Cached ? $"{result.Target}: answered from the runner's last result"
                        : result.Ok ? null : $"{result.Target}: {result.Error}");
                    if (load.Stopping)
                    {
                        load.SlotDone();
                    }
                    else
                    {
                        Send();
                    }
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }

        private void Send()
        {
            _sent = Stopwatch.GetTimestamp();
            runner.Tell(run, Self);
        }

        /// <summary>Sent once by the node to start the slot.</summary>
        internal sealed class Go
        {
            public static Go Instance { get; } = new();

            private Go()
            {
            }
        }
    }
}
