using System.Text.Json.Nodes;
using Xunit;

namespace Agent.Actors.Tests.Resolution;

/// <summary>Agent's lookups against python3's socket module on the same machine, for the same inputs.</summary>
public sealed class LookupParityTests
{
    private static readonly int[] Families = [0, 2, 10];
    private static readonly int[] Types = [0, 1, 2, 3];
    private static readonly int[] Protos = [0, 6, 17];

    [Fact]
    public async Task GetAddrInfo_EveryFamilyTypeProtoCombination_MatchesPython()
    {
        var calls = new JsonArray();
        foreach (var host in new JsonNode?[] { "localhost", "127.0.0.1", "::1", null })
        {
            foreach (var family in Families)
            {
                foreach (var type in Types)
                {
                    foreach (var proto in Protos)
                    {
                        calls.Add(Call("getaddrinfo", host?.DeepClone(), 80, family, type, proto, host is null ? 1 : 0));
                    }
                }
            }
        }
        await AssertParityAsync(calls);
    }

    [Fact]
    public async Task GetAddrInfo_PortsFlagsAndBadInputs_MatchPython()
    {
        var calls = new JsonArray
        {
            Call("getaddrinfo", null, 50007, 0, 0, 0, 1),
            Call("getaddrinfo", null, 50007, 0, 1, 0, 1),
            Call("getaddrinfo", null, 50007, 0, 1, 0, 0),
            Call("getaddrinfo", null, null, 0, 0, 0, 0),
            Call("getaddrinfo", "localhost", "http", 0, 1, 0, 0),
            Call("getaddrinfo", "localhost", "domain", 0, 2, 0, 0),
            Call("getaddrinfo", "localhost", "nosuchservice", 0, 0, 0, 0),
            Call("getaddrinfo", "localhost", "http", 0, 0, 0, 1024),
            Call("getaddrinfo", "localhost", null, 0, 1, 0, 2),
            Call("getaddrinfo", "localhost", 80, 0, 1, 0, 2 | 32),
            Call("getaddrinfo", "127.0.0.1", 80, 10, 1, 0, 8),
            Call("getaddrinfo", "127.0.0.1", 80, 10, 1, 0, 8 | 16),
            Call("getaddrinfo", "localhost", 80, 0, 1, 0, 4),
            Call("getaddrinfo", "::1", 80, 2, 1, 0, 0),
            Call("getaddrinfo", "127.0.0.1", 80, 10, 1, 0, 0),
            Call("getaddrinfo", "fe80::1%lo", 80, 0, 1, 0, 0),
            Call("getaddrinfo", "fe80::1%1", 80, 10, 2, 0, 4),
            Call("getaddrinfo", "fe80::1%nosuchif", 80, 10, 2, 0, 4),
            Call("getaddrinfo", "::ffff:10.0.0.1", 0, 0, 1, 0, 0),
            Call("getaddrinfo", "1.2.3.4", 65535, 2, 2, 17, 0),
            Call("getaddrinfo", "127.1", 80, 2, 1, 0, 0),
            Call("getaddrinfo", "a..b", 80, 0, 0, 0, 0),
            Call("getaddrinfo", new string('a', 64), 80, 0, 0, 0, 0),
            Call("getaddrinfo", "localhost", 80, 99, 0, 0, 0),
            Call("getaddrinfo", "localhost", 80, 0, 99, 0, 0),
            Call("getaddrinfo", "nonexistent.invalid", 80, 0, 1, 0, 0),
        };
        await AssertParityAsync(calls);
    }

    [Fact]
    public async Task HostLookups_NumericLocalAndSpecialNames_MatchPython()
    {
        var calls = new JsonArray();
        foreach (var name in new[] { "localhost", "127.0.0.1", "::1", "", "<broadcast>", "255.255.255.255", "127.1", "0.0.0.0", "localhost.", "a..b", "nonexistent.invalid" })
        {
            calls.Add(Call("gethostbyname", name));
            calls.Add(Call("gethostbyname_ex", name));
            calls.Add(Call("gethostbyaddr", name));
            calls.Add(Call("getfqdn", name));
        }
        calls.Add(Call("gethostname"));
        calls.Add(Call("getfqdn", " localhost "));
        calls.Add(Call("getfqdn", "::"));
        calls.Add(Call("hostaddresses", "localhost", "Ipv6First"));
        calls.Add(Call("hostaddresses", "localhost", "Ipv4First"));
        calls.Add(Call("hostaddresses", "::1", "Ipv4First"));
        calls.Add(Call("hostaddresses", "nonexistent.invalid", "Ipv4First"));
        await AssertParityAsync(calls);
    }

    [Fact]
    public async Task GetNameInfo_FlagsAndSockaddrShapes_MatchPython()
    {
        var calls = new JsonArray();
        foreach (var flags in new[] { 0, 1, 2, 4, 8, 16, 1 | 2, 16 | 2 })
        {
            calls.Add(Call("getnameinfo", new JsonArray("127.0.0.1", 22), flags));
            calls.Add(Call("getnameinfo", new JsonArray("::1", 53, 0, 0), flags));
            calls.Add(Call("getnameinfo", new JsonArray("1.2.3.4", 80), flags));
        }
        calls.Add(Call("getnameinfo", new JsonArray("fe80::1%lo", 22), 1));
        calls.Add(Call("getnameinfo", new JsonArray("fe80::1", 22, 5, 1), 1));
        calls.Add(Call("getnameinfo", new JsonArray("::1", 22, 1048576, 0), 0));
        calls.Add(Call("getnameinfo", new JsonArray("127.0.0.1", 22, 0, 0), 0));
        calls.Add(Call("getnameinfo", new JsonArray("localhost", 22), 0));
        calls.Add(Call("getnameinfo", new JsonArray("127.0.0.1", 9), 0));
        await AssertParityAsync(calls);
    }

    [Fact]
    public async Task ServiceAndProtocolLookups_MatchPython()
    {
        var calls = new JsonArray();
        foreach (var proto in new JsonNode?[] { null, "tcp", "udp", "sctp", "nosuchproto" })
        {
            foreach (var service in new[] { "http", "https", "domain", "ssh", "echo", "nosuchservice" })
            {
                calls.Add(Call("getservbyname", service, proto?.DeepClone()));
            }
            foreach (var port in new[] { 0, 7, 22, 53, 80, 443, 65535, -1, 65536 })
            {
                calls.Add(Call("getservbyport", port, proto?.DeepClone()));
            }
        }
        foreach (var name in new[] { "tcp", "udp", "icmp", "ipv6-icmp", "TCP", "nosuchproto" })
        {
            calls.Add(Call("getprotobyname", name));
        }
        await AssertParityAsync(calls);
    }

    internal static JsonArray Call(string fn, params JsonNode?[] args) => [fn, .. args];

    private static async Task AssertParityAsync(JsonArray calls)
    {
        var expected = await PythonOracle.RunAsync(calls);
        var actual = ParityCalls.RunAll(calls);
        // Names such as nonexistent.invalid reach the machine's real nameserver, which can fail transiently for one
        // side only (EAI_AGAIN against EAI_NONAME): such a pair is asked again, both sides one after the other, once.
        List<int> transient = [.. Enumerable.Range(0, calls.Count).Where(i =>
            !JsonNode.DeepEquals(expected[i], actual[i]) && (ParityAssert.IsTransientDnsFailure(expected[i]) || ParityAssert.IsTransientDnsFailure(actual[i])))];
        if (transient.Count > 0)
        {
            JsonArray again = [.. transient.Select(i => calls[i]!.DeepClone())];
            var expectedAgain = await PythonOracle.RunAsync(again);
            var actualAgain = ParityCalls.RunAll(again);
            for (var k = 0; k < transient.Count; k++)
            {
                expected[transient[k]] = expectedAgain[k]?.DeepClone();
                actual[transient[k]] = actualAgain[k]?.DeepClone();
            }
        }
        ParityAssert.Equal(calls, expected, actual);
    }
}
