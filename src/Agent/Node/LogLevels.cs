using Serilog.Events;

namespace Agent.Node;

/// <summary>The node's log level names (Serilog's) and what each means to Akka's logging.</summary>
internal static class LogLevels
{
    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<LogEventLevel>();

    /// <summary>True for one of <see cref="Names"/>, in any case.</summary>
    public static bool IsKnown(string name) => Enum.TryParse<LogEventLevel>(name, ignoreCase: true, out _) && !int.TryParse(name, out _);

    /// <summary>The Serilog level of a known name.</summary>
    public static LogEventLevel Parse(string name) => Enum.Parse<LogEventLevel>(name, ignoreCase: true);

    /// <summary>Akka's <c>akka.loglevel</c> for a Serilog level: Akka has no Verbose or Fatal.</summary>
    public static string ToAkka(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        _ => "ERROR",
    };
}
