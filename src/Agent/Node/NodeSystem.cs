using Agent.Actors;
using Agent.Actors.Checks;
using Agent.Actors.Cluster;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Actors.Resolution;
using Agent.Hosting;
using Akka;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Microsoft.Extensions.Hosting;

namespace Agent.Node;

/// <summary>
/// The node's actor system as a hosted service: started before the API (so every handler finds its actors), it is an
/// Akka.Cluster member over Akka.Remote holding the reporter, the member directory, the resolver and IO manager, the
/// request actor, the probe runner, the continuous checks and one echo service per endpoint. Stopping the host runs
/// <see cref="CoordinatedShutdown"/>; a system that terminates by itself (the cluster downed the node) stops the host.
/// </summary>
/// <remarks>
/// Built with <see cref="ActorSystem.Create(string, Config)"/> rather than Akka.Hosting, for memory: Akka.Hosting creates
/// its system through <see cref="ActorSystem.Create(string, ActorSystemSetup)"/>, which reads an <c>akka</c> section of
/// app.config through System.Configuration.ConfigurationManager (System.Private.Xml, System.Net.WebClient) even when it
/// is given a config, and it adds the settings of Akka.Streams, cluster sharding, singleton, pub-sub, cluster client and
/// distributed data, none of which a node uses: about 10 MB of an idle node's resident memory (docs/benchmarks.md
/// section 0). A node with TLS takes that overload all the same: its certificate and the check of its peers are a
/// setup, which only it accepts.
/// </remarks>
internal sealed class NodeSystem(NodeOptions options, TextWriter stdout, TextWriter stderr, ExitStatus exit,
    IHostApplicationLifetime lifetime, NodeMetrics metrics) : IHostedService
{
    /// <summary>The actor system's name: every member of a cluster must share it.</summary>
    public const string Name = "agent";

    private ActorSystem? _system;

    /// <summary>The started actor system (the host starts this service before the API's server, so every handler finds it).</summary>
    public ActorSystem System => _system ?? throw new InvalidOperationException("the node's actor system has not started");

    /// <summary>The <see cref="NodeReporter"/>, which answers the API's readiness.</summary>
    public IActorRef Reporter { get; private set; } = ActorRefs.Nobody;

    /// <summary>The <see cref="MemberDirectory"/>, which answers the member list.</summary>
    public IActorRef Members { get; private set; } = ActorRefs.Nobody;

    /// <summary>Why the actor system shut down; null while it runs, and when it never started.</summary>
    public CoordinatedShutdown.Reason? ShutdownReason => _system is { } system ? CoordinatedShutdown.Get(system).ShutdownReason : null;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var system = Create();
        _system = system;
        try
        {
            Start(system);
        }
        catch
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
            throw;
        }
        _ = StopHostWhenTerminated(system);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) =>
        _system is { } system ? CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance) : Task.CompletedTask;

    private ActorSystem Create()
    {
        var tls = options.Node.Tls;
        var remote = options.RemoteAddress;
        var config = AkkaHocon.Roles([NodeNames.NameRole(options.NodeName), .. options.Node.Labels.Select(label => $"{label.Key}={label.Value}")])
            .WithFallback(AkkaHocon.Remoting(NodeHost.ListenAddress(remote).ToString(), remote.Port, tls.Enabled,
                options.SeedAddresses.Select(seed => $"{options.RemoteScheme}://{Name}@{seed}")))
            .WithFallback(AkkaHocon.HeartbeatPause(options.Node.HeartbeatPause))
            .WithFallback(AkkaHocon.Cluster)
            .WithFallback(WireSerialization.Config)
            .WithFallback(AkkaHocon.Logging(LogLevels.ToAkka(LogLevels.Parse(options.Node.LogLevel))));
        return tls.Enabled
            ? ActorSystem.Create(Name, BootstrapSetup.Create().WithConfig(config).And(NodeTls.Setup(tls)))
            : ActorSystem.Create(Name, config);
    }

    // The node's actors, in dependency order; with no seeds the node joins itself, so it is a one-node cluster from its
    // first second (the address is only known once remoting has bound, port 0 included). The stop phases come after the
    // cluster ones: the node leaves first (the others see it go, and whatever they ask it while it leaves is still
    // answered), then its checks, probes and echo services stop (the listeners unbind), then its sockets and resolver.
    private void Start(ActorSystem system)
    {
        system.StartScheduler();
        var endpoints = options.EchoEndpoints;
        Reporter = system.ActorOf(Props.Create(() => new NodeReporter(endpoints, stdout, stderr, exit, lifetime)), "reporter");
        Members = system.ActorOf(MemberDirectory.Props(Reporter), "members");
        if (options.Node.Seeds.Count == 0)
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            cluster.Join(cluster.SelfAddress);
        }
        // Every lookup of the node goes through one resolver (its sockets' and other nodes' requests alike: one cache, one pool).
        var resolverSettings = options.ToResolverSettings();
        var resolver = system.ActorOf(ResolverActor.Props(resolverSettings), "resolver");
        var io = system.ActorOf(IoManager.Props(options.ToIoSettings(),
            new ResolverActorAddressResolver(resolver, resolverSettings.Timeout + TimeSpan.FromSeconds(5))), "io");
        StopInPhase(system, CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "stop-io", [io, resolver]);
        system.ActorOf(Props.Create(() => new RequestActor(io, resolver)), RequestActor.Name);
        // Stopped before the IO manager, so its probes answer as they stop.
        var probes = system.ActorOf(ProbeRunner.Props(io, resolver, options.ToProbeRunnerSettings()), ProbeRunner.Name);
        StopInPhase(system, CoordinatedShutdown.PhaseClusterShutdown, "stop-probes", [probes]);
        var node = options.NodeName;
        var checks = system.ActorOf(ContinuousChecks.Props(node, options.ContinuousChecks(), probes, result => metrics.Record(node, result)), ContinuousChecks.Name);
        StopInPhase(system, CoordinatedShutdown.PhaseClusterShutdown, "stop-checks", [checks]);
        var limits = options.ToEchoLimits();
        var services = endpoints.Select((endpoint, i) =>
            system.ActorOf(EchoService.Supervised(io, endpoint, options.EchoChunk, Reporter, limits), NodeReporter.ServiceName(i))).ToList();
        StopInPhase(system, CoordinatedShutdown.PhaseClusterShutdown, "stop-echo-services", services);
    }

    // Akka may end the node itself (the cluster downed it, an outbound TLS handshake failed): the host then stops as if
    // asked to, and the node host reports why.
    private async Task StopHostWhenTerminated(ActorSystem system)
    {
        await system.WhenTerminated.ConfigureAwait(false);
        lifetime.StopApplication();
    }

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
}
