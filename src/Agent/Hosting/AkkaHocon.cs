using Akka.Configuration;

namespace Agent.Hosting;

/// <summary>
/// The Akka settings every actor system of the process shares: Akka logs through Akka.Logger.Serilog into the
/// process's one Serilog pipeline (message templates, as the actors write them), and so does Akka's basic
/// logger of startup and shutdown, so stdout carries exactly what the CLI contract says.
/// </summary>
internal static class AkkaHocon
{
    /// <summary>Logging at <paramref name="level"/> (Akka's names: OFF, ERROR, WARNING, INFO, DEBUG) through Serilog.</summary>
    public static Config Logging(string level) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = {{level}}
          stdout-loglevel = OFF
          stdout-logger-class = "Agent.Hosting.SerilogMinimalLogger, agent"
          loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]
          logger-formatter = "Akka.Logger.Serilog.SerilogLogMessageFormatter, Akka.Logger.Serilog"
        }
        """);

    /// <summary>
    /// A CLI command's short-lived system: only errors (an actor that crashed is a bug worth showing on stderr),
    /// and no dead-letter reports, which a command that stops its actors mid-exchange produces by design.
    /// </summary>
    public static Config Cli { get; } = ConfigurationFactory.ParseString("akka.log-dead-letters = off").WithFallback(Logging("ERROR"));
}
