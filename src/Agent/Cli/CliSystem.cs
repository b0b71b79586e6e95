using Agent.Actors;
using Agent.Hosting;
using Akka.Actor;
using Serilog;
using Serilog.Events;

namespace Agent.Cli;

/// <summary>The short-lived actor system a CLI command runs its actors in, terminated when the command is done.</summary>
internal static class CliSystem
{
    /// <summary>Runs <paramref name="body"/> in a new system named <paramref name="name"/>; Akka's errors go to stderr.</summary>
    public static async Task<T> RunAsync<T>(string name, Func<ActorSystem, Task<T>> body)
    {
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Warning()
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        var system = ActorSystem.Create(name, AkkaHocon.Cli).StartScheduler();
        try
        {
            return await body(system);
        }
        finally
        {
            await system.Terminate();
            await Log.CloseAndFlushAsync();
        }
    }
}
