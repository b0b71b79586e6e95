using Akka.Actor;

namespace Agent.Bench;

// Pre-allocated messages: every send reuses these instances, so the figures measure the
// runtime's own allocations, not the benchmark's.

/// <summary>Sent by a pinger (or an asker) to a ponger; answered with <see cref="Pong.Instance"/>.</summary>
internal sealed class Ping
{
    public static readonly Ping Instance = new();

    private Ping()
    {
    }
}

/// <summary>The ponger's answer to <see cref="Ping"/>.</summary>
internal sealed class Pong
{
    public static readonly Pong Instance = new();

    private Pong()
    {
    }
}

/// <summary>Tells a pinger which ponger to play with and how many pings to keep in flight.</summary>
internal sealed record StartPinging(IActorRef Ponger, int InFlight);
