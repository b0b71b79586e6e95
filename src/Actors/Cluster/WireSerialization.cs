using Agent.Messages;
using Akka.Configuration;

namespace Agent.Actors.Cluster;

/// <summary>
/// Binds <see cref="WireSerializer"/> to <see cref="IWireMessage"/> through <see cref="Config"/>, in the node and in tests
/// and benchmarks alike. Every node must bind it, or the peer of a node without it drops our messages as an unknown
/// serializer id.
/// </summary>
public static class WireSerialization
{
    /// <summary>The name the serializer is registered under in <c>akka.actor.serializers</c>.</summary>
    public const string SerializerName = "agent-wire";

    /// <summary>The binding as HOCON.</summary>
    public const string Hocon = $$"""
        akka.actor {
          serializers.{{SerializerName}} = "Agent.Actors.Cluster.WireSerializer, Agent.Actors"
          serialization-bindings { "Agent.Messages.IWireMessage, Agent.Messages" = {{SerializerName}} }
        }
        """;

    /// <summary>
    /// For a node: Akka's default serializer (Newtonsoft JSON with .NET type names, id 1, the fallback for every type no
    /// binding names) is replaced by one that refuses everything. A peer's frame under id 1 would have chosen the .NET
    /// type it is read as; now no serializer has that id, so Akka.Remote drops such a frame with a warning, the
    /// association kept. Everything a node sends has a binding of its own (our wire messages, Akka's remoting, cluster
    /// and misc messages), so nothing of ours used the fallback; a message that would is refused when sent, in the log,
    /// rather than travelling with a type name. Not for systems that verify local messages with
    /// <c>serialize-messages = on</c>: those push local-only messages through the fallback.
    /// </summary>
    public const string NoTypeNameFallback = """
        akka.actor.serializers.json = "Agent.Actors.Cluster.RefusingSerializer, Agent.Actors"
        """;

    /// <summary><see cref="Hocon"/> parsed; lay it over (or under) the system's other settings.</summary>
    public static Config Config => ConfigurationFactory.ParseString(Hocon);
}
