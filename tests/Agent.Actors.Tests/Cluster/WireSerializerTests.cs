using System.Runtime.Serialization;
using System.Text;
using Agent.Actors.Cluster;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Messages.Io;
using Agent.Messages.Requests;
using Agent.Messages.Resolution;
using Akka.Serialization;

namespace Agent.Actors.Tests.Cluster;

/// <summary>
/// The wire serializer alone, in a system bound with <see cref="WireSerialization.Hocon"/> and
/// <c>serialize-messages = on</c>: every wire type round-trips, the table covers every <see cref="IWireMessage"/>,
/// and bytes it does not know are refused with a bounded, escaped message and counted.
/// </summary>
public sealed class WireSerializerTests(ITestOutputHelper output)
    : AgentTestKit(output, WireSerialization.Hocon + "\nakka.actor.serialize-messages = on")
{
    /// <summary>Realistic messages of every concrete wire type: Python's None as null, non-ASCII names, every result shape.</summary>
    public static IReadOnlyList<IWireMessage> Samples { get; } =
    [
        new GetAddrInfo("bücher.example", "http", 10, 1, 6, 0x2),
        new GetAddrInfo(null, null),
        new GetHostAddresses("ｌｏｃａｌｈｏｓｔ", AddressOrder.Ipv4First),
        new GetHostByName("localhost"),
        new GetHostByNameEx("www.пример.рф"),
        new GetHostByAddr("fe80::1"),
        new GetFqdn(),
        new GetFqdn("straße.example"),
        GetHostName.Instance,
        new GetNameInfo("fe80::1", 22, 1, 5, 2),
        new GetNameInfo("127.0.0.1", 80),
        new GetServByName("domain", null),
        new GetServByName("http", "tcp"),
        new GetServByPort(443, "udp"),
        new GetServByPort(70000),
        new GetProtoByName("icmp"),
        new Resolved(new GetAddrInfo("bücher.example", "80", 0, 1), new AddrInfoList([
            new AddrInfo(2, 1, 6, "xn--bcher-kva.example", new SockAddr("192.0.2.7", 80)),
            new AddrInfo(10, 1, 6, "", new SockAddr("2001:db8::7", 80, 0, 0))])),
        new Resolved(new GetHostAddresses("dual.example"), new HostAddressList(["2001:db8::1", "192.0.2.1"])),
        new Resolved(new GetHostByName("localhost"), new HostAddress("127.0.0.1")),
        new Resolved(new GetHostByNameEx("www.пример.рф"), new HostEntry("www.xn--e1afmkfd.xn--p1ai", ["www"], ["192.0.2.9"])),
        new Resolved(new GetHostByAddr("192.0.2.9"), new HostEntry("host.example", [], ["192.0.2.9"])),
        new Resolved(GetHostName.Instance, new HostNameResult("vm-münchen")),
        new Resolved(new GetNameInfo("::1", 22), new NameInfo("localhost", "ssh")),
        new Resolved(new GetServByName("http", "tcp"), new ServicePort(80)),
        new Resolved(new GetServByPort(53), new ServiceName("domain")),
        new Resolved(new GetProtoByName("udp"), new ProtocolNumber(17)),
        new ResolutionFailed(new GetAddrInfo("nope.invalid", "80"), new PythonError("gaierror", -2, "Name or service not known")),
        new ResolutionFailed(new GetHostByName("slow.example"), new PythonError(ResolutionFailed.TimeoutKind, null, "timed out")),
        new ResolutionFailed(new GetHostByName("a\u1680b.example"),
            new PythonError("UnicodeError", null, "encoding with 'idna' codec failed (UnicodeError: Invalid character '\u1680')")),
        new LookupProbe(new GetAddrInfo("bücher.example", "443", 2, 1), TimeSpan.FromSeconds(2.5)),
        new AddrCall("aton", "127.1"),
        new AddrCall("pton", "::1", "inet6"),
        new AddrAnswer("\"7f000001\"", "7f000001", null),
        new AddrAnswer(null, null, new PythonError("OSError", null, "illegal IP address string passed to inet_aton")),
        new AddrAnswer(null, null, new PythonError("ValueError", null, "unknown function 'x'"), BadArgument: true),
        new EchoProbe(Endpoint.Parse("tcp:127.0.0.1:10000"), "héllo"u8.ToArray(), 16, TimeSpan.FromSeconds(10)),
        new EchoProbe(Endpoint.Parse("unix:@abstract"), ReadOnlyMemory<byte>.Empty, 65_536, TimeSpan.FromMilliseconds(1500)),
        new EchoReport(new SocketInfo("AF_INET", "SOCK_STREAM", 6, Endpoint.Parse("tcp:127.0.0.1:40000"), Endpoint.Parse("tcp:127.0.0.1:10000")),
            ["hé"u8.ToArray(), "llo"u8.ToArray()], 0.25, null),
        new EchoReport(null, [], 0, new PythonError("ConnectionRefusedError", 111, "Connection refused")),
        new ConnectProbe("bücher.example", 443, TimeSpan.FromSeconds(3)),
        new ConnectReport(new SocketInfo("AF_INET6", "SOCK_STREAM", 6, Endpoint.Parse("tcp:[::1]:40001"), Endpoint.Parse("tcp:[::1]:443")),
            [new SockStream.ConnectAttempt(Endpoint.Parse("tcp:[::1]:443"), "connected", null, 0.1, 0.4)], null),
        new ConnectReport(null, [new SockStream.ConnectAttempt(Endpoint.Parse("tcp:127.0.0.1:9"), "failed",
            new PythonError("ConnectionRefusedError", 111, "Connection refused"), 0, 0.2)], new PythonError("ConnectionRefusedError", 111, "Connection refused")),
        new RunProbe(ProbeTarget.Parse("tcp-echo:[::1]:7")),
        new RunProbe(ProbeTarget.Parse("dns:bücher.example"), new ProbeOptions(TimeSpan.FromSeconds(2), 3, 64, FamilyMode.Both)),
        new RunProbe(ProbeTarget.Parse("tcp:mail.example:25"), ProbeOptions.Default with
        {
            QueryResponse = new([QueryStep.Expect("^220 "), QueryStep.Send("EHLO prober.example\r\n"), QueryStep.Expect("^250 [\\x00-\\xff]"),
                QueryStep.Send("\u0000é\"'"), QueryStep.Expect("^221 ")]),
        }),
        new ProbeResult(ProbeTarget.Parse("udp-echo:127.0.0.1:7"), false, null, "udp:127.0.0.1:7", new PythonError("DatagramLoss", null, "1 of 5 datagrams lost"),
            null, 1, Datagrams: new DatagramCounts(5, 4, 1, 0, 1, 0, 0), StartedAt: new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero)),
        new ProbeResult(ProbeTarget.Parse("dns:localhost"), true, 0.42, null, null,
            [new FamilyResult(FamilyMode.Ip4, true, 0.4, null, null, 1, new DnsAnswer(["127.0.0.1"], "localhost")),
             new FamilyResult(FamilyMode.Ip6, true, 0.42, null, null, 1, new DnsAnswer(["::1"], null))],
            1, new DnsAnswer(["127.0.0.1", "::1"], "localhost"), Cached: true),
        new GetLatestChecks(),
        new GetLatestChecks("core"),
        new LatestChecks("edge-1", [new LatestCell("core", new ProbeResult(ProbeTarget.Parse("tcp:127.0.0.1:1"), false, null, null,
            new PythonError("ConnectionRefusedError", 111, "Connection refused"), null, 1), new CellHistory(100, 97, 0.4, 0.9, 2.5))]),
    ];

    private WireSerializer Wire => Assert.IsType<WireSerializer>(Sys.Serialization.FindSerializerForType(typeof(IWireMessage)));

    [Fact]
    public void RoundTrip_EverySample_SameTypeAndFields()
    {
        foreach (var message in Samples)
        {
            var serializer = Assert.IsType<WireSerializer>(Sys.Serialization.FindSerializerFor(message));
            var bytes = serializer.ToBinary(message);
            var back = Sys.Serialization.Deserialize(bytes, WireSerializer.Id, serializer.Manifest(message));
            Assert.Equal(message.GetType(), back.GetType());
            // Every field is written (nulls too), so equal bytes are equal fields, ImmutableArray results included.
            Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(serializer.ToBinary(back)));
            // Records holding lists or byte buffers compare those by reference; the bytes above compared their contents.
            if (message is not (Resolved { Result: AddrInfoList or HostAddressList or HostEntry } or EchoProbe or EchoReport or ConnectReport or ProbeResult { Families: not null } or ProbeResult { Dns: not null } or LatestChecks))
            {
                Assert.Equal(message, back);
            }
        }
    }

    [Fact]
    public void Samples_CoverEveryWireType()
    {
        var covered = Samples.Select(s => s.GetType()).ToHashSet();
        Assert.Empty(WireSerializer.Manifests.Keys.Where(t => !covered.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void Table_EveryConcreteWireMessage_HasOneManifest()
    {
        var wireTypes = typeof(IWireMessage).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IWireMessage).IsAssignableFrom(t))
            .ToList();
        Assert.NotEmpty(wireTypes);
        Assert.Empty(wireTypes.Where(t => !WireSerializer.Manifests.ContainsKey(t)).Select(t => t.FullName));
        Assert.All(WireSerializer.Manifests.Keys, t => Assert.True(typeof(IWireMessage).IsAssignableFrom(t), t.FullName));
        Assert.Equal(WireSerializer.Manifests.Count, WireSerializer.Manifests.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(WireSerializer.Manifests.Values, m => Assert.InRange(m.Length, 1, 8));
    }

    [Fact]
    public void IoMessages_AreNotWireMessages()
    {
        var io = typeof(IWireMessage).Assembly.GetTypes().Where(t => t.Namespace == "Agent.Messages.Io");
        Assert.Empty(io.Where(typeof(IWireMessage).IsAssignableFrom).Select(t => t.FullName));
    }

    [Fact]
    public void FindSerializerFor_EveryWireType_IsOursWithTheFixedId()
    {
        Assert.All(Samples, message =>
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            Assert.IsType<WireSerializer>(serializer);
            Assert.Equal(1177, serializer.Identifier);
        });
    }

    [Fact]
    public void Frames_ArePinned_NoTypeNamesAndNullsWritten()
    {
        Assert.Equal("""{"host":"fe80::1","port":22,"flags":1,"flowInfo":5,"scopeId":2}""",
            Encoding.UTF8.GetString(Wire.ToBinary(new GetNameInfo("fe80::1", 22, 1, 5, 2))));
        Assert.Equal("gni", Wire.Manifest(new GetNameInfo("fe80::1", 22)));
        Assert.Equal("""{"request":{"$type":"gethostbyname","name":"x"},"error":{"kind":"TimeoutError","errno":null,"strerror":"timed out"}}""",
            Encoding.UTF8.GetString(Wire.ToBinary(new ResolutionFailed(new GetHostByName("x"), new PythonError("TimeoutError", null, "timed out")))));
    }

    [Fact]
    public void ToBinary_TypeNotInTable_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => Wire.ToBinary(new Messages.Io.SocketPair()));
        Assert.Contains("SocketPair", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Wire.Manifest("not a message"));
    }

    [Fact]
    public void FromBinary_UnknownManifest_RefusedNamingTheManifestAndCounted()
    {
        var before = WireSerializer.RefusedPayloads;
        var bytes = Wire.ToBinary(new GetHostByName("localhost"));

        var unknown = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(bytes, WireSerializer.Id, "nope"));
        // A .NET type name as manifest is just an unknown manifest: nothing is resolved from it.
        var typeName = Assert.Throws<SerializationException>(() => Wire.FromBinary(bytes, typeof(GetHostByName).AssemblyQualifiedName!));
        var none = Assert.Throws<SerializationException>(() => Wire.FromBinary(bytes, null!));

        Assert.Equal("Unknown wire manifest [nope] for serializer 1177", unknown.Message);
        Assert.StartsWith("Unknown wire manifest [Agent.Messages.Resolution.GetHostByName, Agent.Messages", typeName.Message, StringComparison.Ordinal);
        Assert.Equal("Unknown wire manifest (none) for serializer 1177", none.Message);
        Assert.Null(unknown.InnerException);
        // Process-wide: other tests may refuse frames at the same time, never fewer.
        Assert.True(WireSerializer.RefusedPayloads >= before + 3);
    }

    [Fact]
    public void FromBinary_OversizedManifest_MessageEscapedAndBounded()
    {
        var manifest = "evil\r\n[x]\\\u0000é" + new string('A', 100_000);
        var e = Assert.Throws<SerializationException>(() => Wire.FromBinary([], manifest));
        Assert.StartsWith(@"Unknown wire manifest [evil\u000d\u000a\u005bx\u005d\u005c\u0000\u00e9AAA", e.Message, StringComparison.Ordinal);
        Assert.Contains($"(first {WireSerializer.MaxManifestEcho} of {manifest.Length} characters)", e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Message.Length, 1, 512);
        Assert.All(e.Message, c => Assert.InRange(c, ' ', '~'));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "ghbn", "not json" },
        { "ghbn", "" },
        { "ghbn", "null" },
        { "ghbn", "{}" },
        { "ghbn", """{"name":null}""" },
        { "ghbn", """{"name":5}""" },
        { "ghbn", "{\"name\":\"x\"" },
        { "ghbn", """{"name":"x"} trailing""" },
        { "gai", """{"host":"h","port":null,"family":"AF_INET"}""" },
        { "rf", """{"request":{"name":"x"},"error":{"kind":"OSError","errno":1,"strerror":"e"}}""" },
        { "rf", """{"request":{"$type":"System.Diagnostics.Process, System","name":"x"},"error":{"kind":"OSError","errno":1,"strerror":"e"}}""" },
        { "rf", """{"request":{"$type":"gethostbyname","name":"x"},"error":{"kind":"OSError","strerror":"e"}}""" },
        { "rs", """{"request":{"$type":"gethostbyname","name":"x"},"result":{"$type":"hostentry","hostName":"h","aliases":[]}}""" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void FromBinary_MalformedPayload_RefusedWithoutQuotingItAndCounted(string manifest, string json)
    {
        var before = WireSerializer.RefusedPayloads;
        var e = Assert.Throws<SerializationException>(() => Wire.FromBinary(Encoding.UTF8.GetBytes(json), manifest));
        Assert.StartsWith($"Malformed payload for wire manifest [{manifest}] ({Encoding.UTF8.GetByteCount(json)} bytes)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Diagnostics", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("trailing", e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
        Assert.True(WireSerializer.RefusedPayloads >= before + 1);
    }

    [Fact]
    public void FromBinary_InvalidUtf8_Refused()
    {
        byte[] bytes = [.. "{\"name\":\""u8, 0xff, 0xfe, .. "\"}"u8];
        Assert.Throws<SerializationException>(() => Wire.FromBinary(bytes, "ghbn"));
    }

    [Fact]
    public async Task Local_TellWithSerializeMessagesOn_ArrivesThroughTheWireFormat()
    {
        var request = new GetAddrInfo("bücher.example", null);
        TestActor.Tell(request);
        var got = await ExpectMsgAsync<GetAddrInfo>(TestTime.Seconds(5));
        Assert.Equal(request, got);
    }
}
