using System.Diagnostics;
using Akka.Actor;

namespace Agent.Bench.Cases;

/// <summary>
/// N pairs of actors bounce pre-allocated Ping/Pong messages, each pair keeping a fixed number
/// of pings in flight. One round trip = Ping to the ponger and Pong back. The figure is round
/// trips/s, or msg/s (= 2 x round trips/s) when <paramref name="reportMessages"/> is set.
/// </summary>
internal static class PingPongCase
{
    public static async Task<CaseResult> RunAsync(string caseName, int pairs, int inFlight, bool reportMessages, BenchSettings settings)
    {
        await using var bench = BenchSystem.Create("pingpong", settings);
        var system = bench.System;
        var counters = new RoundTripCounter[pairs];
        for (var i = 0; i < pairs; i++)
        {
            var counter = counters[i] = new RoundTripCounter();
            var ponger = system.ActorOf(Props.Create<Ponger>(), $"ponger-{i}");
            var pinger = system.ActorOf(Props.Create(() => new Pinger(counter)), $"pinger-{i}");
            pinger.Tell(new StartPinging(ponger, inFlight), ActorRefs.NoSender);
        }

        await Task.Delay(settings.Warmup);
        var before = Sum(counters);
        var start = Measurement.Take();
        await Task.Delay(settings.Measure);
        var end = Measurement.Take();
        var roundTrips = Sum(counters) - before;
        foreach (var counter in counters)
        {
            counter.Stop();
        }

        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        var messages = 2 * roundTrips;
        return reportMessages
            ? end.ResultSince(start, caseName, messages, messages / seconds, "msg/s")
            : end.ResultSince(start, caseName, roundTrips, roundTrips / seconds, "round trips/s");
    }

    private static long Sum(RoundTripCounter[] counters)
    {
        long sum = 0;
        foreach (var counter in counters)
        {
            sum += counter.Read();
        }
        return sum;
    }

    /// <summary>Answers every Ping with the shared Pong, to the sender.</summary>
    private sealed class Ponger : ReceiveActor
    {
        public Ponger()
        {
            Receive<Ping>(_ => Sender.Tell(Pong.Instance, Self));
        }
    }

    /// <summary>Starts N pings on <see cref="StartPinging"/>, then answers each Pong with the next Ping until stopped.</summary>
    private sealed class Pinger : ReceiveActor
    {
        private readonly RoundTripCounter _counter;
        private IActorRef _ponger = ActorRefs.Nobody;

        public Pinger(RoundTripCounter counter)
        {
            _counter = counter;
            Receive<StartPinging>(start =>
            {
                _ponger = start.Ponger;
                for (var i = 0; i < start.InFlight; i++)
                {
                    _ponger.Tell(Ping.Instance, Self);
                }
            });
            Receive<Pong>(_ =>
            {
                if (_counter.Increment())
                {
                    _ponger.Tell(Ping.Instance, Self);
                }
            });
        }
    }
}
