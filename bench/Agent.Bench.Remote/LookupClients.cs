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

    /// <summary>What was wrong with a slot's answer to the lookup: null when it is the <see cref="Resolved"/> the benchmark expects.</summary>
    private static string? Failure(object reply) =>
        reply is Resolved { Result: AddrInfoList { Entries.Length: > 0 } } ? null : reply.ToString() ?? reply.GetType().Name;

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
            load.Record(slot, Stopwatch.GetTimestamp() - sent, Failure(reply));
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
                    load.Record(slot, Stopwatch.GetTimestamp() - _sent, Failure(message));
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
