using Agent.Actors.Cluster;
using Agent.Actors.Io;
using Agent.Actors.Resolution;
using Agent.Cli;
using Agent.Messages;
using Agent.Messages.Requests;
using Agent.Messages.Resolution;
using Agent.Node;
using Agent.TestSupport;
using Akka.Actor;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace Agent.Tests.Node;

/// <summary>
/// Two cluster members in one process on loopback, with <c>serialize-messages = on</c> and the wire serializer: every
/// request kind fanned out to both request actors comes back as the local command prints it, so every message of the
/// request protocol proves it survives the wire, and a member that is gone is answered NodeUnreachable in time.
/// </summary>
public sealed class RequestFanOutTests(ITestOutputHelper output) : AgentTestKit(output, Hocon("first"))
{
    private static string Hocon(string name) => $$"""
        akka.actor.provider = cluster
        akka.actor.serialize-messages = on
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, tcp-reuse-addr = off }
        akka.cluster.roles = ["name={{name}}"]
        akka.loglevel = INFO
        {{WireSerialization.Hocon}}
        """;

    private static void StartNode(ActorSystem system)
    {
        var resolver = system.ActorOf(ResolverActor.Props(ResolverSettings.Default), "resolver");
        var io = system.ActorOf(IoManager.Props(IoSettings.Default, new ResolverActorAddressResolver(resolver)), "io");
        system.ActorOf(Props.Create(() => new RequestActor(io, resolver)), RequestActor.Name);
    }

    // A join that cannot happen fails the test within a bound instead of hanging it.
    private static CancellationToken Deadline() => new CancellationTokenSource(TestTime.Seconds(30)).Token;

    /// <summary>Terminates a second system at the end of a test, within a bound.</summary>
    private sealed class Stopper(ActorSystem system) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await system.Terminate().WaitAsync(TestTime.Seconds(30));
    }

    // Membership converges over gossip: asked until both are Up.
    private async Task<MemberDirectory.MemberList> MembersAsync(IActorRef directory, int count)
    {
        MemberDirectory.MemberList? list = null;
        await AwaitAssertAsync(async () =>
        {
            list = await directory.Ask<MemberDirectory.MemberList>(MemberDirectory.GetMembers.Instance, TestTime.Seconds(5));
            Assert.True(list.Members.Count == count && list.Members.All(m => m.Status == "Up"), $"members: {string.Join(", ", list.Members)}");
        }, TestTime.Seconds(30), TimeSpan.FromMilliseconds(50));
        return list!;
    }

    [Fact]
    public async Task EveryRequestKind_BothMembers_AnswerAsTheLocalCommandPrints()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress, Deadline());
        StartNode(Sys);
        var second = ActorSystem.Create(Sys.Name, AgentTestKit.Settings(Hocon("second")));
        await using var stopSecond = new Stopper(second);
        StartNode(second);
        await Akka.Cluster.Cluster.Get(second).JoinAsync(cluster.SelfAddress, Deadline());
        var directory = Sys.ActorOf(MemberDirectory.Props(null));
        var members = (await MembersAsync(directory, 2)).Members;
        Assert.Equal(["first", "second"], members.Select(m => m.Name));

        using var echoServer = TcpPeer.Listen(out var echoPort);
        var cases = new (object Request, Func<object, CommandOutput> Render, string Expected)[]
        {
            (new LookupProbe(new GetServByName("http", "tcp"), TimeSpan.FromSeconds(5)), reply => CliResolver.Render(new GetServByName("http", "tcp"), reply), "80"),
            (new LookupProbe(new GetHostByName("no-such-host.invalid"), TimeSpan.FromSeconds(5)), reply => CliResolver.Render(new GetHostByName("no-such-host.invalid"), reply),
                """{"error":"gaierror","errno":-2,"strerror":"Name or service not known"}"""),
            (new AddrCall("pton", "::1", "inet6"), reply => AddrCommand.Render((AddrAnswer)reply), "\"00000000000000000000000000000001\""),
            (new ConnectProbe("127.0.0.1", echoPort, TimeSpan.FromSeconds(5)), reply => ConnectCommand.Render("127.0.0.1", echoPort, (ConnectReport)reply), "AF_INET"),
        };
        foreach (var (request, render, expected) in cases)
        {
            var answers = await FanOut.AskAsync(Sys, members, request, render, TestTime.Seconds(5), CancellationToken.None);
            Assert.Equal(["first", "second"], answers.Select(a => a.Node));
            Assert.All(answers, answer => Assert.Contains(expected, answer.Output.Json.ToJsonString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task MemberGone_AnsweredNodeUnreachableWithinTheDeadline()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress, Deadline());
        StartNode(Sys);
        var second = ActorSystem.Create(Sys.Name, AgentTestKit.Settings(Hocon("second")));
        StartNode(second);
        await Akka.Cluster.Cluster.Get(second).JoinAsync(cluster.SelfAddress, Deadline());
        var directory = Sys.ActorOf(MemberDirectory.Props(null));
        var members = (await MembersAsync(directory, 2)).Members;
        // Gone without leaving: its remoting stops answering, as a killed process's would.
        await second.Terminate().WaitAsync(TestTime.Seconds(30));

        var started = DateTime.UtcNow;
        var answers = await FanOut.AskAsync(Sys, members, new LookupProbe(new GetServByName("http", "tcp"), TimeSpan.FromSeconds(1)),
            reply => CliResolver.Render(new GetServByName("http", "tcp"), reply), TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1) + FanOut.Margin + TestTime.Seconds(2));
        Assert.Equal(0, answers[0].Output.ExitCode);
        Assert.Equal("NodeUnreachable", answers[1].Output.Json["error"]!.GetValue<string>());
    }
}
