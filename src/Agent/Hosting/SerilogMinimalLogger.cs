using Akka.Event;
using LogEventLevel = Serilog.Events.LogEventLevel;

namespace Agent.Hosting;

/// <summary>
/// Akka's "very basic logger" for the moments its real loggers are not running (startup, and shutdown, when
/// Akka re-attaches it at the current log level rather than <c>stdout-loglevel</c>): into the process's Serilog
/// pipeline like every other event, instead of onto stdout, which belongs to the CLI's output.
/// </summary>
internal sealed class SerilogMinimalLogger : MinimalLogger
{
    /// <inheritdoc />
    protected override void Log(object message)
    {
        if (message is LogEvent e)
        {
            Serilog.Log.Write(Level(e.LogLevel()), e.Cause, "[{AkkaSource}] {AkkaMessage:l}", e.LogSource, e.Message?.ToString());
        }
    }

    private static LogEventLevel Level(LogLevel level) => level switch
    {
        LogLevel.DebugLevel => LogEventLevel.Debug,
        LogLevel.InfoLevel => LogEventLevel.Information,
        LogLevel.WarningLevel => LogEventLevel.Warning,
        _ => LogEventLevel.Error,
    };
}
