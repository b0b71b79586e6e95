using System.Net;
using System.Net.Sockets;
using Agent.Actors.Checks;
using Agent.Actors.Io.Echo;
using Agent.Actors.Resolution;
using Agent.Actors.Tests.Io;
using Agent.Messages;
using Agent.Messages.Checks;

namespace Agent.Actors.Tests.Checks;

/// <summary>An IO manager (<c>io</c>), a resolver, echo services on demand, and a probe run that must answer exactly once.</summary>
public abstract class ProbeTestBase : IoTestBase
{
    protected ProbeTestBase(ITestOutputHelper output, string? hocon = null) : base(output, hocon: hocon)
    {
        Resolver = Sys.ActorOf(ResolverActor.Props(ResolverSettings.Default), "probe-resolver");
    }

    protected IActorRef Resolver { get; }

    protected async Task<Endpoint> StartEchoAsync(string endpoint)
    {
        var observer = CreateTestProbe();
        Sys.ActorOf(EchoService.Supervised(Io, Endpoint.Parse(endpoint), 65_536, observer.Ref));
        return (await observer.ExpectMsgAsync<EchoServiceBound>()).Socket.Local;
    }

    /// <summary>Runs one <see cref="ProbeActor"/>; returns its result after checking nothing else comes and the actor stopped.</summary>
    protected async Task<ProbeResult> ProbeAsync(string target, ProbeOptions? options = null)
    {
        var run = new RunProbe(ProbeTarget.Parse(target), options);
        var requester = CreateTestProbe();
        var probe = Sys.ActorOf(ProbeActor.Props(run, requester.Ref, Io, Resolver));
        requester.Watch(probe);
        var result = await requester.ExpectMsgAsync<ProbeResult>(ProbeActor.AnswerBound(run.EffectiveOptions) + TestTime.Seconds(2));
        await requester.ExpectTerminatedAsync(probe);
        await requester.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Output?.WriteLine($"{target}: {System.Text.Json.JsonSerializer.Serialize(result, ChecksJsonContext.Default.ProbeResult)}");
        Assert.Equal(run.Target, result.Target);
        return result;
    }

    /// <summary>A loopback port nothing listens on (bound, then closed).</summary>
    protected static int ClosedPort(AddressFamily family = AddressFamily.InterNetwork)
    {
        using var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
