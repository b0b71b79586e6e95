using System.Diagnostics;
using Agent.Actors.Cluster;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Messages.Io;
using Agent.Messages.Requests;
using Agent.Messages.Resolution;
using Akka.Actor;
using Akka.Serialization;

namespace Agent.Bench.Remote;

/// <summary>Whether one wire type comes back intact through Akka's default serializer.</summary>
/// <param name="Type">The message type.</param>
/// <param name="Intact">True when the message read back writes the same JSON through our serializer as the original.</param>
/// <param name="Problem">What differed, or the exception, when not intact.</param>
internal sealed record RoundTripCheck(string Type, bool Intact, string? Problem);

/// <summary>One serializer's cost for the benchmark's request and reply.</summary>
/// <param name="Serializer">ours or default.</param>
/// <param name="RequestBytes">The request's payload.</param>
/// <param name="RequestManifest">The manifest sent with it (each remote message carries it).</param>
/// <param name="ReplyBytes">The reply's payload.</param>
/// <param name="ReplyManifest">The manifest sent with the reply.</param>
/// <param name="CpuUsPerRoundTrip">One thread's time to write and read both (what the two nodes spend on serialization per round trip).</param>
/// <param name="AllocatedBytesPerRoundTrip">What writing and reading both allocates.</param>
internal sealed record FrameCost(string Serializer, int RequestBytes, string RequestManifest, int ReplyBytes, string ReplyManifest, double CpuUsPerRoundTrip, long AllocatedBytesPerRoundTrip);

/// <summary>
/// Before measuring: every concrete wire type through Akka's default serializer (Newtonsoft, with type names) and back,
/// compared field by field through our serializer's JSON (every field written, so equal bytes are equal fields, lists
/// and byte buffers included); and what each serializer costs for the request and reply the benchmark sends.
/// </summary>
internal static class SerializerCheck
{
    /// <summary>One realistic message of every concrete wire type.</summary>
    public static IReadOnlyList<IWireMessage> Samples { get; } =
    [
        BenchNode.Request,
        BenchNode.Request.Request,
        new GetHostAddresses("localhost", AddressOrder.Ipv4First),
        new GetHostByName("localhost"),
        new GetHostByNameEx("www.example.org"),
        new GetHostByAddr("127.0.0.1"),
        new GetFqdn(),
        GetHostName.Instance,
        new GetNameInfo("fe80::1", 22, 1, 5, 2),
        new GetServByName("http", "tcp"),
        new GetServByPort(443, "udp"),
        new GetProtoByName("icmp"),
        Reply(),
        new ResolutionFailed(new GetAddrInfo("nope.invalid", "80"), new PythonError("gaierror", -2, "Name or service not known")),
        new AddrCall("pton", "::1", "inet6"),
        new AddrAnswer("\"7f000001\"", "7f000001", null),
        new EchoProbe(Endpoint.Parse("tcp:127.0.0.1:10000"), "hello"u8.ToArray(), 16, TimeSpan.FromSeconds(10)),
        new EchoReport(new SocketInfo("AF_INET", "SOCK_STREAM", 6, Endpoint.Parse("tcp:127.0.0.1:40000"), Endpoint.Parse("tcp:127.0.0.1:10000")),
            ["he"u8.ToArray(), "llo"u8.ToArray()], 0.25, null),
        new ConnectProbe("localhost", 443, TimeSpan.FromSeconds(3)),
        new ConnectReport(new SocketInfo("AF_INET6", "SOCK_STREAM", 6, Endpoint.Parse("tcp:[::1]:40001"), Endpoint.Parse("tcp:[::1]:443")),
            [new SockStream.ConnectAttempt(Endpoint.Parse("tcp:[::1]:443"), "connected", null, 0.1, 0.4)], null),
        new RunProbe(ProbeTarget.Parse("tcp-echo:127.0.0.1:10000"), new ProbeOptions(TimeSpan.FromSeconds(2), 1, 16, FamilyMode.Any)),
        new ProbeResult(ProbeTarget.Parse("dns:localhost"), true, 0.42, null, null,
            [new FamilyResult(FamilyMode.Ip4, true, 0.42, null, null, 1, new DnsAnswer(["127.0.0.1"], "localhost"))],
            1, new DnsAnswer(["127.0.0.1"], "localhost"), StartedAt: new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero), DurationMs: 0.5),
        new GetLatestChecks("core"),
        new LatestChecks("edge-1", [new LatestCell("core", new ProbeResult(ProbeTarget.Parse("tcp:127.0.0.1:1"), false, null, null,
            new PythonError("ConnectionRefusedError", 111, "Connection refused"), null, 1), new CellHistory(100, 97, 0.4, 0.9, 2.5))]),
    ];

    /// <summary>The reply node B sends to the benchmark's request (what the resolver answers for it).</summary>
    public static Resolved Reply() => new(BenchNode.Request.Request, new AddrInfoList([
        new AddrInfo(2, 1, 6, "", new SockAddr("127.0.0.1", 80)),
        new AddrInfo(2, 2, 17, "", new SockAddr("127.0.0.1", 80)),
        new AddrInfo(2, 3, 0, "", new SockAddr("127.0.0.1", 80))]));

    /// <summary>Every sample through the default serializer of <paramref name="system"/> (a system without our binding).</summary>
    public static IReadOnlyList<RoundTripCheck> DefaultRoundTrips(ActorSystem system)
    {
        var ours = new WireSerializer((ExtendedActorSystem)system);
        var missing = WireSerializer.Manifests.Keys.Where(t => Samples.All(s => s.GetType() != t)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"no sample of {string.Join(", ", missing.Select(t => t.Name))}: add one to SerializerCheck.Samples");
        }
        return [.. Samples.Select(message =>
        {
            var name = message.GetType().Name;
            try
            {
                var back = RoundTrip(system, message);
                var expected = System.Text.Encoding.UTF8.GetString(ours.ToBinary(message));
                var actual = System.Text.Encoding.UTF8.GetString(ours.ToBinary(back));
                return expected == actual ? new RoundTripCheck(name, true, null) : new RoundTripCheck(name, false, $"read back as {actual}, sent {expected}");
            }
            catch (Exception e)
            {
                return new RoundTripCheck(name, false, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }).DistinctBy(c => c.Type)];
    }

    /// <summary>What <paramref name="system"/>'s serializer writes for the request and reply, and its time to write and read both.</summary>
    public static FrameCost Cost(ActorSystem system, SerializerVariant variant, TimeSpan duration)
    {
        var reply = Reply();
        var (request, requestManifest, requestBytes) = Write(system, BenchNode.Request);
        var (replySerializer, replyManifest, replyBytes) = Write(system, reply);
        if (!Equals(RoundTrip(system, BenchNode.Request), BenchNode.Request) || RoundTrip(system, reply) is not Resolved { Result: AddrInfoList { Entries.Length: 3 } })
        {
            throw new InvalidOperationException($"the {variant.Name()} serializer does not round-trip the benchmark's request and reply");
        }
        // The first pass only warms the code up (tiered JIT); the second is measured.
        _ = Loop(duration);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var (n, elapsed) = Loop(duration);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new FrameCost(variant.Name(), requestBytes.Length, requestManifest, replyBytes.Length, replyManifest, elapsed.TotalMicroseconds / n, allocated / n);

        (long Count, TimeSpan Elapsed) Loop(TimeSpan length)
        {
            var clock = Stopwatch.StartNew();
            long count = 0;
            while (clock.Elapsed < length)
            {
                for (var i = 0; i < 100; i++)
                {
                    system.Serialization.Deserialize(request.ToBinary(BenchNode.Request), request.Identifier, requestManifest);
                    system.Serialization.Deserialize(replySerializer.ToBinary(reply), replySerializer.Identifier, replyManifest);
                }
                count += 100;
            }
            return (count, clock.Elapsed);
        }
    }

    private static (Serializer Serializer, string Manifest, byte[] Bytes) Write(ActorSystem system, object message)
    {
        var serializer = system.Serialization.FindSerializerFor(message);
        return (serializer, Serialization.ManifestFor(serializer, message), serializer.ToBinary(message));
    }

    // What remoting does on each side: the serializer bound to the type writes it, the receiver reads it by id and manifest.
    private static object RoundTrip(ActorSystem system, object message)
    {
        var (serializer, manifest, bytes) = Write(system, message);
        return system.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
    }
}
