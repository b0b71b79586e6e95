using System.Diagnostics;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Bench.Remote;

/// <summary>How node A keeps its requests in flight.</summary>
internal enum ClientKind
{
    /// <summary>One actor per in-flight request: sends, waits for the answer, sends the next (no temporary actor per request).</summary>
    Actor,

    /// <summary>One <c>Ask</c> per request, as <c>FanOut</c> asks (a temporary actor per request, its path sent along).</summary>
    Ask,
}

/// <summary>
/// One measurement's round trips: <see cref="Slots"/> requests always in flight, each round trip's latency recorded
/// while <see cref="Measuring"/>. The phases move forward only: warm-up, measuring, stopping; once stopping, each slot
/// finishes the request it has in flight, sends no other and calls <see cref="SlotDone"/>.
/// </summary>
internal sealed class Load
{
    private const int WarmingUp = 0;
    private const int MeasuringPhase = 1;
    private const int StoppingPhase = 2;

    private readonly List<long>[] _latencies;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _phase = WarmingUp;
    private int _running;
    private long _failures;
    private string? _firstFailure;

    public Load(int slots)
    {
        _running = slots;
        _latencies = [.. Enumerable.Range(0, slots).Select(_ => new List<long>(1 << 14))];
    }

    /// <summary>How many requests are kept in flight.</summary>
    public int Slots => _latencies.Length;

    /// <summary>True while round trips are recorded.</summary>
    public bool Measuring => _phase == MeasuringPhase;

    /// <summary>True once no slot may send another request.</summary>
    public bool Stopping => _phase == StoppingPhase;

    /// <summary>Answers that were not the expected one (at any phase).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>What the first unexpected answer was.</summary>
    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    /// <summary>Completes when every slot has had its last answer after <see cref="Stop"/>.</summary>
    public Task Drained => _drained.Task;

    public void StartMeasuring() => _phase = MeasuringPhase;

    public void Stop() => _phase = StoppingPhase;

    /// <summary>A slot's answer came <paramref name="ticks"/> (Stopwatch ticks) after its request; <paramref name="failure"/> says what was wrong with it.</summary>
    public void Record(int slot, long ticks, string? failure = null)
    {
        if (failure is not null)
        {
            Interlocked.Increment(ref _failures);
            Interlocked.CompareExchange(ref _firstFailure, failure, null);
        }
        if (_phase == MeasuringPhase)
        {
            _latencies[slot].Add(ticks);
        }
    }

    /// <summary>A slot's answer to the lookup: fine when it is the <see cref="Resolved"/> the benchmark expects.</summary>
    public void RecordReply(int slot, long ticks, object reply) =>
        Record(slot, ticks, reply is Resolved { Result: AddrInfoList { Entries.Length: > 0 } } ? null : reply.ToString() ?? reply.GetType().Name);

    /// <summary>A slot has sent its last request and had its answer.</summary>
    public void SlotDone()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Every recorded latency, only to be read after <see cref="Drained"/>.</summary>
    public long[] Latencies() => [.. _latencies.SelectMany(l => l)];
}

/// <summary>Node A's clients of node B's request actor.</summary>
internal static class LookupClients
{
    /// <summary>Starts <paramref name="load"/>'s slots on <paramref name="system"/> as <paramref name="kind"/> clients of <paramref name="target"/>; returns what stops them.</summary>
    public static Action Start(Load load, ActorSystem system, ICanTell target, ClientKind kind)
    {
        if (kind == ClientKind.Actor)
        {
            var slots = Enumerable.Range(0, load.Slots).Select(i => system.ActorOf(Props.Create(() => new ClientSlot(load, target, i)))).ToList();
            slots.ForEach(slot => slot.Tell(ClientSlot.Go.Instance));
            return () => slots.ForEach(system.Stop);
        }
        for (var i = 0; i < load.Slots; i++)
        {
            var slot = i;
            _ = Task.Run(() => AskLoopAsync(load, target, slot));
        }
        return static () => { };
    }

    private static async Task AskLoopAsync(Load load, ICanTell target, int slot)
    {
        while (!load.Stopping)
        {
            var sent = Stopwatch.GetTimestamp();
            object reply;
            try
            {
                reply = await target.Ask<object>(BenchNode.Request, TimeSpan.FromSeconds(10));
            }
            catch (Exception e)
            {
                // A timeout or anything else: counted as an unexpected answer, which fails the measurement.
                reply = e;
            }
            load.RecordReply(slot, Stopwatch.GetTimestamp() - sent, reply);
        }
        load.SlotDone();
    }

    /// <summary>One request in flight from node A: sends it, records its round trip when the answer comes, sends the next.</summary>
    private sealed class ClientSlot(Load load, ICanTell target, int slot) : UntypedActor
    {
        private long _sent;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Go:
                    Send();
                    break;
                case Resolved or ResolutionFailed:
                    load.RecordReply(slot, Stopwatch.GetTimestamp() - _sent, message);
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
            target.Tell(BenchNode.Request, Self);
        }

        /// <summary>Sent once by the benchmark to start the slot.</summary>
        internal sealed class Go
        {
            public static Go Instance { get; } = new();

            private Go()
            {
            }
        }
    }
}
