using Serilog.Events;

namespace Agent.Actors.Kernel;

/// <summary>Settings of an <see cref="ActorSystem"/>; every value has a bounded default.</summary>
public sealed record ActorSystemSettings
{
    /// <summary>The defaults.</summary>
    public static ActorSystemSettings Default { get; } = new();

    /// <summary>Where log events go. Defaults to Serilog's global <c>Log.Logger</c>.</summary>
    public Serilog.ILogger? Logger { get; init; }

    /// <summary>Minimum level written; null keeps the logger's own. Defaults to Information.</summary>
    public LogEventLevel? LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>The clock for timers, timeouts and the scheduler. Defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// User messages one actor handles before yielding its thread to the back of the pool's global queue
    /// (at least 1; 1 is as fair as possible). Defaults to 100: Akka.NET's 30 made each busy actor pay a
    /// global-queue requeue every 30 messages, 15-20 % of the CPU per message with 8 busy pairs
    /// (docs/benchmarks.md); 100 messages at well under 1 µs each still yield the thread within tens of µs.
    /// </summary>
    public int Throughput
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Throughput), value, "Throughput must be at least 1.");
    } = 100;

    /// <summary>Default Ask timeout. Defaults to 30 s, so a lost reply never hangs a caller.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Dead letters logged per window; 0 disables logging. Defaults to 10.</summary>
    public int DeadLetterLogLimit { get; init; } = 10;

    /// <summary>The dead-letter logging window. Defaults to 10 s.</summary>
    public TimeSpan DeadLetterLogWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Strategy of the /user guardian for top-level actors. Defaults to <see cref="SupervisorStrategy.DefaultStrategy"/>.</summary>
    public SupervisorStrategy GuardianSupervisorStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;

    /// <summary>Default timeout of each coordinated-shutdown phase. Defaults to 10 s.</summary>
    public TimeSpan ShutdownPhaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Host of this system's address when other nodes can reach it; null for a local-only system.</summary>
    public string? Host { get; init; }

    /// <summary>Port of this system's address; used with <see cref="Host"/>.</summary>
    public int? Port { get; init; }
}
