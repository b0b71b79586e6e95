using System.Numerics;
using System.Text.Json.Nodes;
using Xunit;
using static Agent.Actors.Tests.Resolution.LookupParityTests;

namespace Agent.Actors.Tests.Resolution;

/// <summary>The pure address functions against python3's, including the error texts of 3.11+.</summary>
public sealed class AddressFunctionParityTests
{
    [Fact]
    public async Task InetAton_BsdFormsAndGarbage_MatchPython()
    {
        var calls = new JsonArray();
        foreach (var text in new[]
        {
            "127.0.0.1", "127.1", "0x7f.1", "0x7f000001", "017700000001", "10.1.2", "1", "0", "255.255.255.255",
            "256.1.1.1", "1.2.3.4.5", "1.2.3.4 junk", " 1.2.3.4", "1.2.3.4\t", "", "x", "0x", "08.1.1.1",
            "4294967295", "4294967296", "1.16777215", "1.16777216", "::1",
        })
        {
            calls.Add(Call("inet_aton", text));
        }
        await AssertParityAsync(calls);
    }

    [Fact]
    public async Task PtonNtopNtoa_BothFamiliesAndBadLengths_MatchPython()
    {
        var calls = new JsonArray();
        foreach (var text in new[] { "127.0.0.1", "1.2.3", "127.1", "::1", "fe80::1%lo", "::ffff:1.2.3.4", "2001:db8::a:b:c:d", "1::2::3", "", "0.0.0.0" })
        {
            calls.Add(Call("inet_pton", 2, text));
            calls.Add(Call("inet_pton", 10, text));
        }
        calls.Add(Call("inet_pton", 99, "1.2.3.4"));
        foreach (var hex in new[] { "7f000001", "7f0000", "7f00000100", "", "00000000000000000000ffff01020304", "20010db8000000000000000000000001", "fe800000000000000000000000000001" })
        {
            calls.Add(Call("inet_ntoa", hex));
            calls.Add(Call("inet_ntop", 2, hex));
            calls.Add(Call("inet_ntop", 10, hex));
        }
        calls.Add(Call("inet_ntop", 99, "7f000001"));
        await AssertParityAsync(calls);
    }

    [Fact]
    public async Task ByteOrder_InAndOutOfRange_MatchPython()
    {
        var calls = new JsonArray();
        BigInteger[] values =
        [
            0, 1, 80, 0x1234, 65535, 65536, -1, int.MaxValue, (BigInteger)int.MaxValue + 1, (BigInteger)int.MinValue - 1,
            uint.MaxValue, (BigInteger)uint.MaxValue + 1, long.MaxValue, ulong.MaxValue, (BigInteger)ulong.MaxValue + 1,
            BigInteger.Pow(2, 70), -BigInteger.Pow(2, 70),
        ];
        foreach (var value in values)
        {
            foreach (var fn in new[] { "htons", "ntohs", "htonl", "ntohl" })
            {
                calls.Add(Call(fn, JsonNode.Parse(value.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        await AssertParityAsync(calls);
    }

    [Fact]
    public async Task Interfaces_NameIndexAndConversions_MatchPython()
    {
        var calls = new JsonArray { Call("if_nameindex"), Call("if_nametoindex", "lo"), Call("if_nametoindex", "nosuchif0") };
        foreach (var index in new BigInteger[] { 1, 2, 999, 0, -1, (BigInteger)uint.MaxValue + 1, (BigInteger)uint.MaxValue + 2, BigInteger.Pow(2, 64) })
        {
            calls.Add(Call("if_indextoname", JsonNode.Parse(index.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        await AssertParityAsync(calls);
    }

    private static async Task AssertParityAsync(JsonArray calls)
    {
        var expected = await PythonOracle.RunAsync(calls);
        ParityAssert.Equal(calls, expected, ParityCalls.RunAll(calls));
    }
}
