using Agent.Messages;
using Xunit;

namespace Agent.Messages.Tests;

public sealed class EndpointTests
{
    [Theory]
    [InlineData("tcp:localhost:10000", EndpointKind.Tcp, "localhost", 10000, "")]
    [InlineData("udp:127.0.0.1:10000", EndpointKind.Udp, "127.0.0.1", 10000, "")]
    [InlineData("tcp::10000", EndpointKind.Tcp, "", 10000, "")]
    [InlineData("tcp:0.0.0.0:10000", EndpointKind.Tcp, "0.0.0.0", 10000, "")]
    [InlineData("tcp:[::1]:10000", EndpointKind.Tcp, "::1", 10000, "")]
    [InlineData("tcp:[fe80::1%eth0]:80", EndpointKind.Tcp, "fe80::1%eth0", 80, "")]
    [InlineData("udp:<broadcast>:10000", EndpointKind.Udp, "<broadcast>", 10000, "")]
    [InlineData("unix:./uds_socket", EndpointKind.Unix, "", 0, "./uds_socket")]
    [InlineData("unix-dgram:./uds_dgram", EndpointKind.UnixDgram, "", 0, "./uds_dgram")]
    [InlineData("unix:@agent", EndpointKind.Unix, "", 0, "@agent")]
    public void Parse_GrammarExamples_GiveTheirParts(string text, EndpointKind kind, string host, int port, string path)
    {
        var endpoint = Endpoint.Parse(text);
        Assert.Equal((kind, host, port, path), (endpoint.Kind, endpoint.Host, endpoint.Port, endpoint.Path));
        Assert.Equal(text, endpoint.ToString());
    }

    [Theory]
    [InlineData("", "empty endpoint")]
    [InlineData("localhost:80", "unknown scheme 'localhost'")]
    [InlineData("http:x:80", "unknown scheme 'http'")]
    [InlineData("tcp:localhost", "'localhost:80'")]
    [InlineData("tcp:::1:80", "must be written in brackets")]
    [InlineData("tcp:[::1:80", "missing ']'")]
    [InlineData("tcp:[::1]80", "expected ':PORT'")]
    [InlineData("tcp:[1.2.3.4]:80", "is not an IPv6 address")]
    [InlineData("tcp:localhost:70000", "port must be 0-65535, got 70000")]
    [InlineData("tcp:localhost:-1", "port must be a number 0-65535")]
    [InlineData("tcp:localhost:", "port must be a number 0-65535")]
    [InlineData("tcp:bad host:80", "is not a host name")]
    [InlineData("tcp:<broadcast>:80", "only meaningful for udp")]
    [InlineData("unix:@", "at least one character after '@'")]
    [InlineData("unix:./a\nb", "'unix:./a\\x0ab': a Unix path cannot contain control characters")]
    [InlineData("unix-dgram:\u001b[31mred", "cannot contain control characters")]
    public void TryParse_BadInput_SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(Endpoint.TryParse(text, out _, out var error));
        if (expected == "'localhost:80'")
        {
            Assert.Contains("expected tcp:HOST:PORT", error, StringComparison.Ordinal);
            return;
        }
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnixPathOverSunPathLimit_IsRejected()
    {
        var error = Assert.Throws<FormatException>(() => Endpoint.Parse("unix:/" + new string('a', 107)));
        Assert.Contains("too long (108 bytes, at most 107)", error.Message, StringComparison.Ordinal);
        Assert.Equal(107, Endpoint.Parse("unix:/" + new string('a', 106)).Path.Length);
    }

    [Fact]
    public void Flags_DescribeTheEndpoint()
    {
        Assert.True(Endpoint.Parse("tcp::1").IsAnyHost);
        Assert.True(Endpoint.Parse("udp:<broadcast>:1").IsBroadcast);
        Assert.True(Endpoint.Parse("unix:@x").IsAbstract);
        Assert.False(Endpoint.Parse("unix:./@x").IsAbstract);
        Assert.True(Endpoint.Parse("unix:x").IsStream);
        Assert.False(Endpoint.Parse("unix-dgram:x").IsStream);
        Assert.Equal("tcp:127.0.0.1:5", Endpoint.Parse("tcp:127.0.0.1:0").WithPort(5).ToString());
    }

    [Fact]
    public void OfUnixAddress_PeerNameWithControlCharacters_KeptButWrittenEscaped()
    {
        var peer = Endpoint.OfUnixAddress(EndpointKind.UnixDgram, "@evil\nline");
        Assert.Equal("@evil\nline", peer.Path);
        Assert.Equal("unix-dgram:@evil\\x0aline", peer.ToString());
    }
}
