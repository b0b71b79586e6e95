using System.Runtime.InteropServices;
using Agent.Actors;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Hosting;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

namespace Agent.Node;

/// <summary>
/// <c>agent run</c>: a .NET Generic Host whose actor system (Akka.Hosting) holds the IO manager and one
/// backoff-supervised echo service per configured endpoint. SIGTERM and Ctrl-C stop the host, which runs
/// Akka's <see cref="CoordinatedShutdown"/>: the echo services stop (their listeners unbind), then the IO
/// manager with every socket and Unix node; the process exits 0 within <c>node:shutdownTimeout</c>. A service that
/// cannot bind for a reason waiting cannot heal stops the node the same way, with exit status 1.
/// </summary>
internal static class NodeHost
{
    /// <summary>Runs the node until it is stopped; returns the exit status.</summary>
    public static async Task<int> RunAsync(NodeOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var endpoints = options.EchoEndpoints;
        foreach (var endpoint in endpoints)
        {
            if (UnixPathCheck.Check(endpoint) is { } problem)
            {
                await stderr.WriteLineAsync($"agent: {problem.Message}");
                return problem.ExitCode;
            }
        }
        var level = LogLevels.Parse(options.Node.LogLevel);
        // The process's one log pipeline: Akka (through Akka.Logger.Serilog) and the host log here, all on stderr.
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "agent" });
            builder.Services.AddSerilog();
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Node.ShutdownTimeout);
            builder.Services.Configure<ConsoleLifetimeOptions>(console => console.SuppressStatusMessages = true);
            var exit = new ExitStatus();
            builder.Services.AddAkka(options.Node.Name, akka => akka
                .AddHocon(AkkaHocon.Logging(LogLevels.ToAkka(level)), HoconAddMode.Prepend)
                .WithActors((system, _) => system.StartScheduler())
                .AddIoManager(options)
                .AddEchoServices(endpoints, options.EchoChunk, options.ToIoSettings(), options.ToEchoLimits(), stdout, stderr, exit));
            using var host = builder.Build();
            // The host stops on SIGTERM, SIGINT and SIGQUIT; a hangup (the terminal went away) stops it the same way,
            // rather than killing the process with its Unix nodes left behind.
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
            {
                signal.Cancel = true;
                lifetime.StopApplication();
            });
            await host.RunAsync(cancellationToken);
            return exit.Code;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>The IO manager (with its resolver) under the key <see cref="IoManager"/>; stopped in the service-stop phase.</summary>
    private static AkkaConfigurationBuilder AddIoManager(this AkkaConfigurationBuilder akka, NodeOptions options) =>
        akka.WithActors((system, registry) =>
        {
            var io = system.ActorOf(IoManager.Props(options.ToIoSettings(), resolverSettings: options.ToResolverSettings()), "io");
            registry.Register<IoManager>(io);
            StopInPhase(system, CoordinatedShutdown.PhaseServiceStop, "stop-io", [io]);
        });

    /// <summary>One supervised echo service per endpoint, printing a <c>listening ...</c> line each time one binds; stopped first on shutdown.</summary>
    private static AkkaConfigurationBuilder AddEchoServices(this AkkaConfigurationBuilder akka, IReadOnlyList<Messages.Endpoint> endpoints, int chunk,
        IoSettings settings, EchoLimits limits, TextWriter stdout, TextWriter stderr, ExitStatus exit) =>
        akka.WithActors((system, registry, resolver) =>
        {
            var io = registry.Get<IoManager>();
            var lifetime = resolver.GetService<IHostApplicationLifetime>();
            var reporter = system.ActorOf(Props.Create(() => new ServiceReporter(stdout, stderr, exit, lifetime)), "services");
            var services = endpoints.Select((endpoint, i) => system.ActorOf(EchoService.Supervised(io, endpoint, chunk, reporter, settings, limits), $"echo-{i}")).ToList();
            StopInPhase(system, CoordinatedShutdown.PhaseServiceUnbind, "stop-echo-services", services);
        });

    // Stops the actors and waits for them, bounded by the phase's own timeout (a stuck one does not hold up the exit).
    private static void StopInPhase(ActorSystem system, string phase, string name, IReadOnlyList<IActorRef> actors)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        var wait = shutdown.Timeout(phase);
        shutdown.AddTask(phase, name, async () =>
        {
            await Task.WhenAll(actors.Select(actor => actor.GracefulStop(wait)));
            return Done.Instance;
        });
    }

    /// <summary>
    /// What the echo services report, turned into the CLI contract of <c>agent run</c>: a <c>listening ...</c> line on stdout
    /// each time one binds; for one that gave up, <c>agent: echo ENDPOINT: ERROR</c> on stderr and the node stopped
    /// with exit status 1.
    /// </summary>
    internal sealed class ServiceReporter : ReceiveActor
    {
        /// <summary>Reports to <paramref name="stdout"/> and <paramref name="stderr"/>; a failure sets <paramref name="exit"/> and stops <paramref name="lifetime"/>.</summary>
        public ServiceReporter(TextWriter stdout, TextWriter stderr, ExitStatus exit, IHostApplicationLifetime lifetime)
        {
            Receive<EchoServiceBound>(bound =>
            {
                stdout.WriteLine(bound.ListeningLine());
                stdout.Flush();
            });
            Receive<EchoServiceFailed>(failed =>
            {
                stderr.WriteLine($"agent: echo {failed.Requested}: {failed.Cause}");
                stderr.Flush();
                exit.Code = Cli.ExitCodes.Failure;
                lifetime.StopApplication();
            });
        }
    }

    /// <summary>The node's exit status, set by whatever ends it abnormally (0 when nothing did).</summary>
    internal sealed class ExitStatus
    {
        /// <summary>The status <c>agent run</c> exits with.</summary>
        public int Code { get; set; } = Cli.ExitCodes.Success;
    }
}
