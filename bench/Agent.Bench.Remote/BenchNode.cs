using Agent.Actors;
using Agent.Actors.Cluster;
using Agent.Actors.Io;
using Agent.Actors.Resolution;
using Agent.Messages.Requests;
using Agent.Messages.Resolution;
using Agent.Node;
using Akka.Actor;
using Akka.Configuration;

namespace Agent.Bench.Remote;

/// <summary>
/// The benchmark's actor systems: <c>akka.actor.provider = remote</c> on 127.0.0.1, port 0. Remote, not cluster: a
/// request to a known address needs only remoting, and a cluster would add its gossip and heartbeats (one a second per
/// member) to the same association, noise in a round-trip measurement. Every system has the same name, as every agent
/// node does. Akka logs go to stderr (<see cref="StderrLogger"/>), so stdout carries only the table, the JSON or
/// <c>--serve</c>'s READY line.
/// </summary>
internal static class BenchNode
{
    /// <summary>The actor system name of both nodes.</summary>
    public const string SystemName = "agent";

    /// <summary>
    /// The request every round trip carries: <c>agent resolve 127.0.0.1 80 --on B</c> (numeric, so no libc I/O), as the
    /// API sends it: the lookup with the asker's timeout.
    /// </summary>
    public static LookupProbe Request { get; } = new(new GetAddrInfo("127.0.0.1", "80"), TimeSpan.FromSeconds(10));

    /// <summary>A remoting actor system with <paramref name="variant"/>'s serializer binding and <paramref name="extraHocon"/> (tuning experiments) over the rest.</summary>
    public static ActorSystem Create(SerializerVariant variant, string extraHocon)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              loggers = ["{{typeof(StderrLogger).FullName}}, {{typeof(StderrLogger).Assembly.GetName().Name}}"]
              log-dead-letters-during-shutdown = off
              actor.provider = remote
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, tcp-reuse-addr = off }
            }
            """);
        if (variant == SerializerVariant.Ours)
        {
            config = WireSerialization.Config.WithFallback(config);
        }
        if (extraHocon.Length > 0)
        {
            config = ConfigurationFactory.ParseString(extraHocon).WithFallback(config);
        }
        return ActorSystem.Create(SystemName, config).StartScheduler();
    }

    /// <summary>
    /// Makes <paramref name="system"/> node B: the node's resolver, IO manager and request actor (at
    /// <c>/user/requests</c>), built as <c>NodeHost</c> builds them, with the resolver's default settings.
    /// </summary>
    public static void Serve(ActorSystem system)
    {
        var resolver = system.ActorOf(ResolverActor.Props(ResolverSettings.Default), "resolver");
        var io = system.ActorOf(IoManager.Props(IoSettings.Default, new ResolverActorAddressResolver(resolver)), "io");
        system.ActorOf(Props.Create(() => new RequestActor(io, resolver)), RequestActor.Name);
    }

    /// <summary>The remoting address <paramref name="system"/> listens on.</summary>
    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>The path of the request actor of the node at <paramref name="address"/>, as <c>FanOut</c> builds it.</summary>
    public static ActorPath RequestsAt(Address address) => new RootActorPath(address) / "user" / RequestActor.Name;

    /// <summary>The name of the serializer <paramref name="system"/> writes the request and its reply with.</summary>
    public static string SerializerOf(ActorSystem system) => system.Serialization.FindSerializerFor(Request).GetType().Name;
}
