using System.Runtime.InteropServices;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Actors.Kernel;
using Serilog;
using Serilog.Events;

namespace Agent.Node;

/// <summary>
/// <c>agent run</c>: one actor system with the IO manager and a backoff-supervised echo service per
/// endpoint. SIGTERM, Ctrl-C or cancellation run <see cref="CoordinatedShutdown"/>; listeners release
/// their sockets and Unix nodes as they stop; the exit status is then 0.
/// </summary>
internal static class NodeHost
{
    public static async Task<int> RunAsync(NodeConfig config, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        foreach (var endpoint in config.Echo)
        {
            if (UnixPathCheck.Check(endpoint) is { } problem)
            {
                await stderr.WriteLineAsync($"agent: {problem.Message}");
                return problem.ExitCode;
            }
        }
        var level = Enum.TryParse<LogEventLevel>(config.LogLevel, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        using var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        var system = ActorSystem.Create(config.Name, new ActorSystemSettings { Logger = logger, LogLevel = level });
        var io = system.ActorOf(IoManager.Props(), "io");
        var printer = system.ActorOf(Props.FromFactory(() => new ListeningPrinter(stdout)), "listening");
        var services = config.Echo
            .Select((endpoint, i) => system.ActorOf(EchoService.Supervised(io, endpoint, config.EchoChunk, printer), $"echo-{i}"))
            .ToList();
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-echo-services", () =>
        {
            services.ForEach(system.Stop);
            return Task.CompletedTask;
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _ = shutdown.Run("SIGTERM");
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            _ = shutdown.Run("SIGINT");
        });
        using var cancelled = cancellationToken.Register(() => _ = shutdown.Run("cancelled"));
        await system.WhenTerminated;
        return Cli.ExitCodes.Success;
    }

    private sealed class ListeningPrinter : ReceiveActor
    {
        public ListeningPrinter(TextWriter stdout) => Receive<EchoServiceBound>(bound =>
        {
            stdout.WriteLine(bound.ListeningLine());
            stdout.Flush();
        });
    }
}
