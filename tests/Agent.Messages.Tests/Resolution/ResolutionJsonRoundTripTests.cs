using System.Text.Json;
using Agent.Messages;
using Agent.Messages.Resolution;
using Xunit;

namespace Agent.Messages.Tests.Resolution;

/// <summary>Every resolution message survives the source-generated wire contract unchanged.</summary>
public sealed class ResolutionJsonRoundTripTests
{
    public static TheoryData<ResolutionRequest> Requests() =>
    [
        new GetAddrInfo("example.org", "http", 10, 1, 6, 2),
        new GetAddrInfo(null, null),
        new GetHostAddresses("localhost", AddressOrder.Ipv4First),
        new GetHostByName("localhost"),
        new GetHostByNameEx("www.example.org"),
        new GetHostByAddr("::1"),
        new GetFqdn(),
        GetHostName.Instance,
        new GetNameInfo("fe80::1", 22, 1, 5, 2),
        new GetNameInfo("127.0.0.1", 80),
        new GetServByName("domain", "udp"),
        new GetServByPort(80),
        new GetProtoByName("icmp"),
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public void Request_RoundTrip_IsEqual(ResolutionRequest request)
    {
        var json = JsonSerializer.Serialize(request, ResolutionJsonContext.Default.ResolutionRequest);
        var back = JsonSerializer.Deserialize(json, ResolutionJsonContext.Default.ResolutionRequest);
        Assert.Equal(request, back);
    }

    [Fact]
    public void Resolved_WithEveryResultShape_RoundTrips()
    {
        ResolutionResult[] results =
        [
            new AddrInfoList([
                new AddrInfo(2, 1, 6, "localhost", new SockAddr("127.0.0.1", 80)),
                new AddrInfo(10, 2, 17, "", new SockAddr("fe80::1", 53, 7, 2))]),
            new HostAddressList(["::1", "127.0.0.1"]),
            new HostAddress("127.0.0.1"),
            new HostEntry("www.example.org", ["www"], ["10.0.0.1", "10.0.0.2"]),
            new HostNameResult("vm"),
            new NameInfo("localhost", "ssh"),
            new ServicePort(80),
            new ServiceName("http"),
            new ProtocolNumber(6),
        ];
        foreach (var result in results)
        {
            var reply = new Resolved(new GetHostByName("x"), result);
            var json = JsonSerializer.Serialize(reply, ResolutionJsonContext.Default.Resolved);
            var back = JsonSerializer.Deserialize(json, ResolutionJsonContext.Default.Resolved)!;
            Assert.Equal(reply.Request, back.Request);
            Assert.Equal(json, JsonSerializer.Serialize(back, ResolutionJsonContext.Default.Resolved));
            Assert.Equal(result.GetType(), back.Result.GetType());
        }
    }

    [Fact]
    public void ResolutionFailed_RoundTrip_KeepsPythonError()
    {
        var failed = new ResolutionFailed(new GetAddrInfo("nope.invalid", "80"), new PythonError("gaierror", -2, "Name or service not known"));
        var json = JsonSerializer.Serialize(failed, ResolutionJsonContext.Default.ResolutionFailed);
        var back = JsonSerializer.Deserialize(json, ResolutionJsonContext.Default.ResolutionFailed);
        Assert.Equal(failed, back);
        Assert.False(back!.TimedOut);
        Assert.DoesNotContain("timedOut", json, StringComparison.Ordinal);
    }

    [Fact]
    public void HostEntry_Deserialized_ListsAreImmutableAndComplete()
    {
        var json = """{"$type":"hostentry","hostName":"a","aliases":["b","c"],"addresses":["1.2.3.4"]}""";
        var entry = (HostEntry)JsonSerializer.Deserialize(json, ResolutionJsonContext.Default.ResolutionResult)!;
        Assert.Equal<string>(["b", "c"], entry.Aliases);
        Assert.Equal("1.2.3.4", Assert.Single(entry.Addresses));
    }
}
