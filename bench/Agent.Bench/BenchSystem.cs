using Agent.Actors.Kernel;
using Serilog.Events;

namespace Agent.Bench;

/// <summary>Actor systems for measuring: default dispatcher settings, logging only warnings and errors.</summary>
internal static class BenchSystem
{
    public static ActorSystem Create(string name) =>
        ActorSystem.Create(name, new ActorSystemSettings { LogLevel = LogEventLevel.Warning });
}
