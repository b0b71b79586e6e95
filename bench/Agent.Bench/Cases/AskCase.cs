using System.Diagnostics;
using Akka.Actor;

namespace Agent.Bench.Cases;

/// <summary>
/// One caller awaits <c>Ask&lt;Pong&gt;(Ping)</c> to one responder, one ask at a time (each
/// ask creates and completes Akka's temporary reply ref, a PromiseActorRef; no timeout is given, so
/// Akka's default applies: akka.actor.ask-timeout, infinite). The figure is asks/s.
/// </summary>
internal static class AskCase
{
    public static async Task<CaseResult> RunAsync(string caseName, BenchSettings settings)
    {
        await using var bench = BenchSystem.Create("ask", settings);
        var system = bench.System;
        var responder = system.ActorOf(Props.Create<Responder>(), "responder");

        await AskUntilAsync(responder, Stopwatch.GetTimestamp() + ToTicks(settings.Warmup));
        var start = Measurement.Take();
        var asks = await AskUntilAsync(responder, start.Timestamp + ToTicks(settings.Measure));
        var end = Measurement.Take();

        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        return end.ResultSince(start, caseName, asks, asks / seconds, "asks/s");
    }

    private static async Task<long> AskUntilAsync(IActorRef responder, long deadline)
    {
        long asks = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await responder.Ask<Pong>(Ping.Instance);
            asks++;
        }
        return asks;
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Answers every Ping with the shared Pong, to the sender (the ask's temporary ref).</summary>
    private sealed class Responder : ReceiveActor
    {
        public Responder()
        {
            Receive<Ping>(_ => Sender.Tell(Pong.Instance, Self));
        }
    }
}
