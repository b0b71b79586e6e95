using System.Collections.Concurrent;
using System.Text;
using Agent.Actors.Cluster;
using Agent.Actors.Resolution;
using Agent.Messages.Resolution;
using Akka.Remote;
using Akka.Serialization;

namespace Agent.Actors.Tests.Cluster;

/// <summary>
/// Two actor systems over real Akka.Remote on loopback, both with <c>serialize-messages = on</c>: node B (the test's
/// system) runs the real resolver; node A sends it frames B cannot read, then a real request, over one association.
/// </summary>
public sealed class WireRemotingTests(ITestOutputHelper output) : AgentTestKit(output, RemoteHocon + WireSerialization.Hocon)
{
    private const string RemoteHocon = """
        akka.actor.provider = remote
        akka.actor.serialize-messages = on
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }

        """;

    // Node A binds the same serializer id to a table with entries B does not have.
    private static readonly string MisfitHocon = RemoteHocon + $$"""
        akka.actor {
          serializers.{{WireSerialization.SerializerName}} = "{{TypeName(typeof(MisfitSerializer))}}"
          serialization-bindings {
            "Agent.Messages.IWireMessage, Agent.Messages" = {{WireSerialization.SerializerName}}
            "{{TypeName(typeof(Misfit))}}" = {{WireSerialization.SerializerName}}
          }
        }
        """;

    [Fact]
    public async Task UnreadableFrames_DroppedWithWarning_SameAssociationStillAnswers()
    {
        var nodeA = ActorSystem.Create("node-a", AgentTestKit.Settings(MisfitHocon));
        try
        {
            var lifecycleA = LifecycleLog.Subscribe(nodeA);
            var lifecycleB = LifecycleLog.Subscribe(Sys);
            Sys.ActorOf(ResolverActor.Props(), "resolver");
            var addressB = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
            var replies = CreateTestProbe(nodeA);
            var resolver = await nodeA.ActorSelection(new RootActorPath(addressB) / "user" / "resolver").ResolveOne(TestTime.Seconds(10));
            var refusedBefore = WireSerializer.RefusedPayloads;

            // Numeric host and port: the resolver answers at once, without libc I/O.
            var request = new GetAddrInfo("127.0.0.1", "80", 2, 1);
            Resolved? reply = null;
            await EventFilter.Warning(contains: "association remains live").ExpectAsync(2, async () =>
            {
                resolver.Tell(new Misfit(MisfitSerializer.UnknownManifest), replies.Ref);
                resolver.Tell(new Misfit("ghbn"), replies.Ref);
                resolver.Tell(request, replies.Ref);
                reply = await replies.ExpectMsgAsync<Resolved>(TestTime.Seconds(10));
            }, TestTime.Seconds(10));

            Assert.Equal(request, reply!.Request);
            Assert.Equal(new SockAddr("127.0.0.1", 80), Assert.Single(((AddrInfoList)reply.Result).Entries).SockAddr);
            Assert.True(WireSerializer.RefusedPayloads >= refusedBefore + 2);
            // One association each way, never dropped or failed.
            Assert.Single(lifecycleA.Events.OfType<AssociatedEvent>());
            Assert.Single(lifecycleB.Events.OfType<AssociatedEvent>());
            Assert.DoesNotContain(lifecycleA.Events, e => e is DisassociatedEvent or AssociationErrorEvent);
            Assert.DoesNotContain(lifecycleB.Events, e => e is DisassociatedEvent or AssociationErrorEvent);
            Assert.False(replies.HasMessages);
        }
        finally
        {
            await nodeA.Terminate();
        }
    }

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>A frame node A can write and node B cannot read: <see cref="Manifest"/> is sent as the manifest, <c>{}</c> as the payload.</summary>
    internal sealed record Misfit(string Manifest);

    /// <summary>Node A's serializer under our id: <see cref="WireSerializer"/>'s table plus <see cref="Misfit"/>.</summary>
    internal sealed class MisfitSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
    {
        /// <summary>Not in B's table, with what a hostile peer would put in a log line: control characters and length.</summary>
        public static readonly string UnknownManifest = "no-such-manifest\r\n" + new string('x', 1000);

        private readonly WireSerializer _wire = new(system);

        public override int Identifier => WireSerializer.Id;

        public override string Manifest(object o) => o is Misfit misfit ? misfit.Manifest : _wire.Manifest(o);

        public override byte[] ToBinary(object obj) => obj is Misfit ? Encoding.UTF8.GetBytes("{}") : _wire.ToBinary(obj);

        public override object FromBinary(byte[] bytes, string manifest) => _wire.FromBinary(bytes, manifest);
    }

    /// <summary>
    /// Records a system's remoting lifecycle events without a mailbox: with <c>serialize-messages = on</c>, delivering
    /// Akka's own events to an actor would push them through the default serializer, which is not what is under test.
    /// </summary>
    private sealed class LifecycleLog : MinimalActorRef
    {
        private LifecycleLog(ActorSystem system)
        {
            Provider = ((ExtendedActorSystem)system).Provider;
            Path = new RootActorPath(Provider.DefaultAddress) / "lifecycle-log";
        }

        public ConcurrentQueue<RemotingLifecycleEvent> Events { get; } = new();

        public override ActorPath Path { get; }

        public override IActorRefProvider Provider { get; }

        public static LifecycleLog Subscribe(ActorSystem system)
        {
            var log = new LifecycleLog(system);
            system.EventStream.Subscribe(log, typeof(RemotingLifecycleEvent));
            return log;
        }

        protected override void TellInternal(object message, IActorRef sender)
        {
            if (message is RemotingLifecycleEvent e)
            {
                Events.Enqueue(e);
            }
        }
    }
}
