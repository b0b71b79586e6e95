using System.Text.Json;
using Agent.Messages;
using Agent.Messages.Checks;

namespace Agent.Actors.Tests.Checks;

/// <summary>The target grammar by example; the properties (round trips over generated targets, noise) are in Agent.Messages.Tests.</summary>
public sealed class ProbeTargetTests
{
    [Theory]
    [InlineData("dns:example.org", ProbeKind.Dns)]
    [InlineData("dns:bücher.example", ProbeKind.Dns)]
    [InlineData("dns:::1", ProbeKind.Dns)]
    [InlineData("tcp:127.0.0.1:80", ProbeKind.Tcp)]
    [InlineData("tcp:[::1]:10000", ProbeKind.Tcp)]
    [InlineData("tcp:[fe80::1%eth0]:80", ProbeKind.Tcp)]
    [InlineData("tcp-echo:db.internal:7", ProbeKind.TcpEcho)]
    [InlineData("udp-echo:[::1]:7", ProbeKind.UdpEcho)]
    [InlineData("unix-echo:/run/echo.sock", ProbeKind.UnixEcho)]
    [InlineData("unix-echo:@abstract", ProbeKind.UnixEcho)]
    [InlineData("unix-dgram-echo:./uds_dgram", ProbeKind.UnixDgramEcho)]
    public void Parse_Valid_RoundTripsThroughToStringAndJson(string text, ProbeKind kind)
    {
        var target = ProbeTarget.Parse(text);
        Assert.Equal(kind, target.Kind);
        Assert.Equal(text, target.ToString());
        var json = JsonSerializer.Serialize(target, ChecksJsonContext.Default.ProbeTarget);
        Assert.Equal(JsonSerializer.Serialize(text), json);
        Assert.Equal(target, JsonSerializer.Deserialize(json, ChecksJsonContext.Default.ProbeTarget));
    }

    [Fact]
    public void Parse_SocketKinds_EndpointOfTheMatchingSocket()
    {
        Assert.Equal(Endpoint.Parse("tcp:[::1]:7"), ProbeTarget.Parse("tcp-echo:[::1]:7").Endpoint);
        Assert.Equal(Endpoint.Parse("udp:10.0.0.1:7"), ProbeTarget.Parse("udp-echo:10.0.0.1:7").Endpoint);
        Assert.Equal(Endpoint.Parse("unix-dgram:/x"), ProbeTarget.Parse("unix-dgram-echo:/x").Endpoint);
        Assert.Equal(ProbeTarget.Parse("tcp-echo:h:7"), ProbeTarget.Of(ProbeKind.TcpEcho, Endpoint.Parse("tcp:h:7")));
    }

    [Theory]
    [InlineData("", "empty target")]
    [InlineData("example.org", "'example.org' has no scheme")]
    [InlineData("http:example.org:80", "unknown scheme 'http' in 'http:example.org:80'")]
    [InlineData("dns:", "'dns:': expected dns:NAME")]
    [InlineData("dns:a b", "'dns:a b': a name cannot contain white space")]
    [InlineData("dns:a\nb", @"'dns:a\x0ab': a name cannot contain control characters")]
    [InlineData("tcp:localhost:70000", "'tcp:localhost:70000': port must be 0-65535, got 70000")]
    [InlineData("tcp-echo:localhost:70000", "'tcp-echo:localhost:70000': port must be 0-65535, got 70000")]
    [InlineData("tcp-echo:::1:7", "'tcp-echo:::1:7': an IPv6 address must be written in brackets")]
    [InlineData("udp-echo:[::1:7", "'udp-echo:[::1:7': missing ']' after the IPv6 literal")]
    [InlineData("tcp::7", "'tcp::7': a probe needs a host")]
    [InlineData("tcp:localhost:0", "'tcp:localhost:0': a probe needs a port 1-65535, got 0")]
    [InlineData("udp-echo:<broadcast>:7", "'udp-echo:<broadcast>:7': a probe cannot target <broadcast>")]
    [InlineData("unix-echo:", "'unix-echo:': a probe needs a path")]
    [InlineData("unix-echo:/tmp/a\nb", @"'unix-echo:/tmp/a\x0ab': a Unix path cannot contain control characters")]
    public void TryParse_Invalid_ErrorNamesTheTargetAndTheProblem(string text, string expected)
    {
        Assert.False(ProbeTarget.TryParse(text, out _, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.Equal(error, Assert.Throws<FormatException>(() => ProbeTarget.Parse(text)).Message);
    }

    [Fact]
    public void Json_BadTarget_JsonExceptionWithTheGrammarError()
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("\"tcp:h:0\"", ChecksJsonContext.Default.ProbeTarget));
        Assert.Contains("a probe needs a port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreValidAndBounded()
    {
        Assert.Equal(new ProbeOptions(TimeSpan.FromSeconds(5), 0, 32, FamilyMode.Any), ProbeOptions.Default);
        Assert.Null(ProbeOptions.Default.Validate());
        Assert.StartsWith("timeout", (ProbeOptions.Default with { Timeout = TimeSpan.Zero }).Validate(), StringComparison.Ordinal);
        Assert.StartsWith("timeout", (ProbeOptions.Default with { Timeout = TimeSpan.FromHours(1) }).Validate(), StringComparison.Ordinal);
        Assert.StartsWith("retries", (ProbeOptions.Default with { Retries = -1 }).Validate(), StringComparison.Ordinal);
        Assert.StartsWith("payload_size", (ProbeOptions.Default with { PayloadSize = 65_508 }).Validate(), StringComparison.Ordinal);
        Assert.StartsWith("family", (ProbeOptions.Default with { Family = (FamilyMode)7 }).Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RunProbeAndResult_RoundTripWithTextTargetsAndFamilies()
    {
        var run = new RunProbe(ProbeTarget.Parse("tcp:[::1]:7"), ProbeOptions.Default with { Family = FamilyMode.Both, Retries = 2 });
        var json = JsonSerializer.Serialize(run, ChecksJsonContext.Default.RunProbe);
        Assert.Equal("""{"target":"tcp:[::1]:7","options":{"timeout":"00:00:05","retries":2,"payload_size":32,"family":"both"}}""", json);
        Assert.Equal(run, JsonSerializer.Deserialize(json, ChecksJsonContext.Default.RunProbe));

        var result = new ProbeResult(run.Target, false, null, "tcp:127.0.0.1:7", new PythonError("gaierror", -9, "Address family for hostname not supported"),
            [new FamilyResult(FamilyMode.Ip4, true, 0.5, "tcp:127.0.0.1:7", null, 1),
             new FamilyResult(FamilyMode.Ip6, false, null, null, new PythonError("gaierror", -9, "Address family for hostname not supported"), 3)],
            3, Datagrams: new DatagramCounts(5, 3, 1, 1, 1, 1, 0));
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(result, ChecksJsonContext.Default.ProbeResult), ChecksJsonContext.Default.ProbeResult)!;
        Assert.Equal(result.Families, back.Families);
        Assert.Equal(result with { Families = back.Families }, back);
    }
}
