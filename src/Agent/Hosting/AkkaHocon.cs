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
    /// A node is a cluster member (the cluster provider, over Akka.Remote) reached at <paramref name="host"/>:<paramref name="port"/>
    /// (port 0: a free port), over TLS when <paramref name="tls"/> (the certificate and the check of peers come in
    /// <see cref="Node.NodeTls.Setup"/>), joining through <paramref name="seeds"/> (with none, <see cref="Node.NodeSystem"/> joins it to itself).
    /// </summary>
    public static Config Remoting(string host, int port, bool tls, IEnumerable<string> seeds) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp {
          hostname = "{{host}}"
          port = {{port}}
          enable-ssl = {{(tls ? "on" : "off")}}
        }
        akka.cluster.seed-nodes = [{{string.Join(", ", seeds.Select(seed => $"\"{seed}\""))}}]
        """);

    /// <summary>
    /// A node's cluster settings beyond where it listens and what it joins (<see cref="Remoting"/>): the host, not Akka, ends the process after
    /// coordinated shutdown (so the exit status is ours); a node that cannot reach its seeds keeps trying; and the
    /// remoting port is the node's alone (reuse-addr on Linux means SO_REUSEPORT from .NET, which let a second node
    /// bind the same port and take half of the first one's connections). Failure detection and downing are spelled out,
    /// though they are Akka's defaults, because docs/cluster.md explains them: a member is unreachable after about 5-7 s
    /// without heartbeats (1 s apart, 3 s of pause tolerated for GC and load), and 20 s after the unreachable set last
    /// changed, the split-brain resolver keeps the side with the oldest member and downs the rest, unless the oldest is
    /// alone, when it is the one downed; a downed node leaves and exits 1, and rejoins when restarted (docs/cluster.md
    /// says why keep-oldest and not keep-majority).
    /// </summary>
    public static Config Cluster { get; } = ConfigurationFactory.ParseString(Actors.Cluster.WireSerialization.NoTypeNameFallback + "\n" + """
        akka {
          remote.dot-netty.tcp.tcp-reuse-addr = off
          coordinated-shutdown.exit-clr = off
          cluster {
            shutdown-after-unsuccessful-join-seed-nodes = off
            log-info-verbose = off
            failure-detector {
              heartbeat-interval = 1s
              threshold = 8.0
              acceptable-heartbeat-pause = 3s
            }
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver {
              active-strategy = keep-oldest
              stable-after = 20s
              keep-oldest.down-if-alone = on
            }
          }
        }
        """);

    /// <summary>
    /// How long the failure detector tolerates missing heartbeats (<c>node:heartbeatPause</c>, 3 s by default) before a
    /// member is unreachable: longer on machines short of CPU, where a busy node can miss its heartbeats without being gone.
    /// </summary>
    public static Config HeartbeatPause(TimeSpan pause) => ConfigurationFactory.ParseString(
        $"akka.cluster.failure-detector.acceptable-heartbeat-pause = {(long)pause.TotalMilliseconds}ms");

    /// <summary>
    /// The node's cluster roles, quoted (<c>KEY=VALUE</c> is not a bare HOCON value); the roles hold only what
    /// <see cref="Actors.Cluster.NodeNames"/> allows, nothing to escape.
    /// </summary>
    public static Config Roles(IEnumerable<string> roles) =>
        ConfigurationFactory.ParseString($"akka.cluster.roles = [{string.Join(", ", roles.Select(role => $"\"{role}\""))}]");

    /// <summary>
    /// A CLI command's short-lived system: only errors (an actor that crashed is a bug worth showing on stderr),
    /// and no dead-letter reports, which a command that stops its actors mid-exchange produces by design.
    /// </summary>
    public static Config Cli { get; } = ConfigurationFactory.ParseString("akka.log-dead-letters = off").WithFallback(Logging("ERROR"));
}
