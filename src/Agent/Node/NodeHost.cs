using System.Net;
using System.Runtime.InteropServices;
using Agent.Actors;
using Agent.Actors.Checks;
using Agent.Actors.Cluster;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Actors.Resolution;
using Agent.Hosting;
using Akka;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

namespace Agent.Node;

/// <summary>
/// <c>agent run</c>: a .NET Generic Host with the node's HTTP API on Kestrel (<see cref="NodeApi"/>) and an actor
/// system (Akka.Hosting) that is an Akka.Cluster member over Akka.Remote: it joins through its seeds, or seeds itself
/// (a one-node cluster), and holds the member directory, the IO manager and one backoff-supervised echo service per
/// configured endpoint. SIGTERM, SIGINT and SIGHUP stop the host, which runs Akka's <see cref="CoordinatedShutdown"/>:
/// the node leaves the cluster (the others see it Removed), the echo services stop (their listeners unbind), then the
/// IO manager with every socket and Unix node; the process exits 0 within <c>node:shutdownTimeout</c>. A service that
/// cannot bind for a reason waiting cannot heal, or a name another member holds, stops the node with exit status 1.
/// </summary>
internal static class NodeHost
{
    /// <summary>The actor system's name: every member of a cluster must share it.</summary>
    public const string SystemName = "agent";

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
        string? verdict = null;
        // The process's one log pipeline: Akka (through Akka.Logger.Serilog), Kestrel and the host log here, all on stderr.
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            // A failed start is reported in one line (StartFailure); the host's and Akka.Hosting's copies of it are stack traces.
            .Filter.ByExcluding(Serilog.Filters.Matching.FromSource("Microsoft.Extensions.Hosting.Internal.Host"))
            .Filter.ByExcluding(Serilog.Filters.Matching.FromSource("Akka.Hosting.AkkaHostedService"))
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        try
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "agent" });
            builder.Services.AddSerilog();
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Node.ShutdownTimeout);
            builder.Services.Configure<ConsoleLifetimeOptions>(console => console.SuppressStatusMessages = true);
            var api = options.ApiAddress;
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = options.Api.MaxBodyBytes;
                kestrel.Listen(ListenAddress(api), api.Port);
            });
            builder.Services.AddRoutingCore();
            builder.Services.AddNodeMetrics();
            var exit = new ExitStatus();
            ActorSystem? actorSystem = null;
            builder.Services.AddAkka(SystemName, akka => akka
                .AddHocon(AkkaHocon.Logging(LogLevels.ToAkka(level)), HoconAddMode.Prepend)
                .AddHocon(AkkaHocon.Cluster, HoconAddMode.Prepend)
                .AddHocon(AkkaHocon.HeartbeatPause(options.Node.HeartbeatPause), HoconAddMode.Prepend)
                .WithActors((system, _) => actorSystem = system)
                .WithRemoting(NodeTls.Remoting(options.Node.Tls, new RemoteOptions { HostName = ListenAddress(options.RemoteAddress).ToString(), Port = options.RemoteAddress.Port }))
                .WithClustering(new ClusterOptions { SeedNodes = [.. options.SeedAddresses.Select(seed => $"{options.RemoteScheme}://{SystemName}@{seed}")] })
                .AddHocon(AkkaHocon.Roles([NodeNames.NameRole(options.NodeName), .. options.Node.Labels.Select(label => $"{label.Key}={label.Value}")]), HoconAddMode.Prepend)
                .WithWireSerializer()
                .WithActors((system, _) => system.StartScheduler())
                .AddNodeReporter(endpoints, stdout, stderr, exit)
                .AddMemberDirectory(seedItself: options.Node.Seeds.Count == 0)
                .AddIoManager(options)
                .AddRequests()
                .AddProbeRunner(options.ToProbeRunnerSettings())
                .AddContinuousChecks(options.NodeName, options.ContinuousChecks())
                .AddEchoServices(endpoints, options.EchoChunk, options.ToEchoLimits()));
            await using var app = builder.Build();
            NodeApi.Map(app, options.Api);
            CheckApi.Map(app, options.Probes.MaxConcurrent);
            // The host stops on SIGTERM, SIGINT and SIGQUIT; a hangup (the terminal went away) stops it the same way,
            // rather than killing the process with its Unix nodes left behind.
            using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
            {
                signal.Cancel = true;
                app.Lifetime.StopApplication();
            });
            app.Lifetime.ApplicationStarted.Register(() => PrintApiAddress(app, stdout));
            // stdout carries only the node's own lines (written to `stdout` above); Akka.Hosting writes a start failure
            // to the console besides logging it, and the clean one-line report below says it better.
            var console = Console.Out;
            Console.SetOut(TextWriter.Null);
            try
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    // A signal while the host was still starting (the services may already be bound) cancels the start;
                    // what started is stopped below, as after any stop, and the exit is the same clean one.
                }
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (Exception e) when (StartFailure(e, options) is { } failure)
            {
                verdict = $"agent: {failure}";
                return Cli.ExitCodes.Failure;
            }
            finally
            {
                Console.SetOut(console);
            }
            // Akka may end the node itself (an outbound TLS handshake failed, the cluster downed it); the host then stops as
            // if asked to, and would exit 0: say why, and exit 1.
            if (exit.Code == Cli.ExitCodes.Success && actorSystem is not null && ExitStatus.Unexpected(CoordinatedShutdown.Get(actorSystem).ShutdownReason) is { } why)
            {
                await stderr.WriteLineAsync($"agent: {why}");
                return Cli.ExitCodes.Failure;
            }
            return exit.Code;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
            // After the log is closed, so the verdict comes after what Akka logged of the failure (its remoting may
            // still log its own shutdown, which runs on).
            if (verdict is not null)
            {
                await stderr.WriteLineAsync(verdict);
            }
        }
    }

    // A listening socket the node could not bind (remoting or the API), as one line in Python's words; null for
    // anything else, which is a bug and keeps its stack trace.
    private static string? StartFailure(Exception failure, NodeOptions options)
    {
        var chain = Flatten(failure).ToList();
        if (chain.OfType<System.Net.Sockets.SocketException>().FirstOrDefault() is not { } socket)
        {
            return null;
        }
        var which = chain.Any(e => e is Akka.Remote.RemoteTransportException) ? $"remote {options.RemoteAddress}" : $"api {options.ApiAddress}";
        var cause = OsErrors.FromException(socket);
        return $"{which}: [Errno {cause.Errno}] {cause.Strerror}";
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var nested in inner.SelectMany(Flatten))
        {
            yield return nested;
        }
    }

    // Kestrel and Akka.Remote bind to an address; "localhost" is the IPv4 loopback (what the default config says).
    private static IPAddress ListenAddress(HostPort address) =>
        IPAddress.TryParse(address.Host, out var ip) ? ip : IPAddress.Loopback;

    private static void PrintApiAddress(WebApplication app, TextWriter stdout)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var uri = new Uri(address);
            stdout.WriteLine($"listening api {uri.Authority}");
        }
        stdout.Flush();
    }

    /// <summary>The reporter under the key <see cref="NodeReporter"/>: the observer of the services and the member directory.</summary>
    private static AkkaConfigurationBuilder AddNodeReporter(this AkkaConfigurationBuilder akka, IReadOnlyList<Messages.Endpoint> endpoints,
        TextWriter stdout, TextWriter stderr, ExitStatus exit) =>
        akka.WithActors((system, registry, resolver) =>
        {
            var lifetime = resolver.GetService<IHostApplicationLifetime>();
            registry.Register<NodeReporter>(system.ActorOf(Props.Create(() => new NodeReporter(endpoints, stdout, stderr, exit, lifetime)), "reporter"));
        });

    /// <summary>
    /// The member directory under the key <see cref="MemberDirectory"/>; with no seeds the node joins itself, so it is a
    /// one-node cluster from its first second (the address is only known once remoting has bound, port 0 included).
    /// </summary>
    private static AkkaConfigurationBuilder AddMemberDirectory(this AkkaConfigurationBuilder akka, bool seedItself) =>
        akka.WithActors((system, registry) =>
        {
            registry.Register<MemberDirectory>(system.ActorOf(MemberDirectory.Props(registry.Get<NodeReporter>()), "members"));
            if (seedItself)
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            }
        });

    /// <summary>
    /// The node's resolver (key <see cref="ResolverActor"/>), which every lookup of the node goes through (its sockets'
    /// and other nodes' requests alike, one cache and one pool), and the IO manager over it (key <see cref="IoManager"/>);
    /// both stopped in the service-stop phase.
    /// </summary>
    private static AkkaConfigurationBuilder AddIoManager(this AkkaConfigurationBuilder akka, NodeOptions options) =>
        akka.WithActors((system, registry) =>
        {
            var settings = options.ToResolverSettings();
            var resolver = system.ActorOf(ResolverActor.Props(settings), "resolver");
            registry.Register<ResolverActor>(resolver);
            var io = system.ActorOf(IoManager.Props(options.ToIoSettings(), new ResolverActorAddressResolver(resolver, settings.Timeout + TimeSpan.FromSeconds(5))), "io");
            registry.Register<IoManager>(io);
            StopInPhase(system, CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "stop-io", [io, resolver]);
        });

    /// <summary>The request actor (key <see cref="RequestActor"/>) that runs other nodes' requests here.</summary>
    private static AkkaConfigurationBuilder AddRequests(this AkkaConfigurationBuilder akka) =>
        akka.WithActors((system, registry) =>
        {
            var (io, resolver) = (registry.Get<IoManager>(), registry.Get<ResolverActor>());
            registry.Register<RequestActor>(system.ActorOf(Props.Create(() => new RequestActor(io, resolver)), RequestActor.Name));
        });

    /// <summary>
    /// The probe runner (key <see cref="ProbeRunner"/>, <c>/user/probes</c>) that runs every check's probes on this node,
    /// stopped before the IO manager so its probes answer as they stop.
    /// </summary>
    private static AkkaConfigurationBuilder AddProbeRunner(this AkkaConfigurationBuilder akka, ProbeRunnerSettings settings) =>
        akka.WithActors((system, registry) =>
        {
            var runner = system.ActorOf(ProbeRunner.Props(registry.Get<IoManager>(), registry.Get<ResolverActor>(), settings), ProbeRunner.Name);
            registry.Register<ProbeRunner>(runner);
            StopInPhase(system, CoordinatedShutdown.PhaseClusterShutdown, "stop-probes", [runner]);
        });

    /// <summary>
    /// The node's continuous checks (key <see cref="ContinuousChecks"/>, <c>/user/checks</c>), probing through its runner;
    /// every result sets the node's probe metrics (<see cref="NodeMetrics"/>).
    /// </summary>
    private static AkkaConfigurationBuilder AddContinuousChecks(this AkkaConfigurationBuilder akka, string node, IReadOnlyList<ContinuousCheck> checks) =>
        akka.WithActors((system, registry, resolver) =>
        {
            var metrics = resolver.GetService<NodeMetrics>();
            var actor = system.ActorOf(ContinuousChecks.Props(node, checks, registry.Get<ProbeRunner>(), result => metrics.Record(node, result)), ContinuousChecks.Name);
            registry.Register<ContinuousChecks>(actor);
            StopInPhase(system, CoordinatedShutdown.PhaseClusterShutdown, "stop-checks", [actor]);
        });

    /// <summary>One supervised echo service per endpoint, reporting to the <see cref="NodeReporter"/>; stopped first on shutdown.</summary>
    private static AkkaConfigurationBuilder AddEchoServices(this AkkaConfigurationBuilder akka, IReadOnlyList<Messages.Endpoint> endpoints, int chunk,
        EchoLimits limits) =>
        akka.WithActors((system, registry) =>
        {
            var io = registry.Get<IoManager>();
            var reporter = registry.Get<NodeReporter>();
            var services = endpoints.Select((endpoint, i) => system.ActorOf(EchoService.Supervised(io, endpoint, chunk, reporter, limits), NodeReporter.ServiceName(i))).ToList();
            StopInPhase(system, CoordinatedShutdown.PhaseClusterShutdown, "stop-echo-services", services);
        });

    // Stops the actors and waits for them, bounded by the phase's own timeout (a stuck one does not hold up the exit).
    // The phases come after the cluster ones: the node leaves first (the others see it go, and whatever they ask it while
    // it leaves is still answered), then its services unbind, then its sockets and resolver go.
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
}
