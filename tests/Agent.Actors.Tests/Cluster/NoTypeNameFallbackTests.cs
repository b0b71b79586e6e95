using Agent.Actors.Cluster;
using Agent.Actors.Resolution;
using Agent.Messages.Resolution;

namespace Agent.Actors.Tests.Cluster;

/// <summary>
/// Node B runs as a node does, with Akka's type-naming JSON fallback replaced: a peer that sends a type of its choosing
/// under the default serializer's id (Newtonsoft with <c>$type</c> names) gets it dropped, and the association still
/// carries our messages.
/// </summary>
public sealed class NoTypeNameFallbackTests(ITestOutputHelper output)
    : AgentTestKit(output, RemoteHocon + WireSerialization.Hocon + "\n" + WireSerialization.NoTypeNameFallback)
{
    private const string RemoteHocon = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }

        """;

    [Fact]
    public async Task FrameUnderTheDefaultJsonId_Dropped_WireMessagesStillAnswered()
    {
        // Node A is a stock system: anything unbound goes out through Newtonsoft with its .NET type name.
        var nodeA = ActorSystem.Create("node-a", AgentTestKit.Settings(RemoteHocon + WireSerialization.Hocon));
        try
        {
            var probe = CreateTestProbe();
            Sys.ActorOf(Props.Create(() => new Recorder(probe.Ref)), "recorder");
            var addressB = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
            var replies = CreateTestProbe(nodeA);
            var recorder = await nodeA.ActorSelection(new RootActorPath(addressB) / "user" / "recorder").ResolveOne(TestTime.Seconds(10));

            recorder.Tell(new Smuggled("a type the sender chose"), replies.Ref);
            recorder.Tell(new GetHostByName("localhost"), replies.Ref);

            // Only the wire message arrives; the smuggled one never became an object on B.
            Assert.Equal(new GetHostByName("localhost"), await probe.ExpectMsgAsync<GetHostByName>(TestTime.Seconds(10)));
            await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        }
        finally
        {
            await nodeA.Terminate();
        }
    }

    [Fact]
    public void LocalOnlyType_RefusedWhenSent_NeverWrittenWithATypeName()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new Smuggled("x"));
        Assert.IsType<RefusingSerializer>(serializer);
        Assert.Throws<ArgumentException>(() => serializer.ToBinary(new Smuggled("x")));
    }

    /// <summary>A record no binding names: what a peer would smuggle in under the default serializer.</summary>
    internal sealed record Smuggled(string Text);

    /// <summary>Tells the probe everything it receives, whatever its type.</summary>
    private sealed class Recorder : ReceiveActor
    {
        public Recorder(IActorRef probe) => ReceiveAny(message => probe.Tell(message));
    }
}
