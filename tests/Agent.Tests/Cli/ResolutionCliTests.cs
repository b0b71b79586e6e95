using System.Text.Json.Nodes;
using Agent.Actors.Tests.Resolution;
using Agent.Tests.Testbeds;
using Xunit;

namespace Agent.Tests.Cli;

/// <summary>The fixed CLI contract of issue 3, checked against python3 on the same machine.</summary>
public sealed class ResolutionCliTests
{
    public static TheoryData<string[], string> JsonCases() => new()
    {
        { ["resolve", "localhost", "80", "--json"], """["getaddrinfo", "localhost", 80, 0, 0, 0, 0]""" },
        { ["resolve", "-", "50007", "--flags", "passive", "--type", "stream", "--json"], """["getaddrinfo", null, 50007, 0, 1, 0, 1]""" },
        { ["resolve", "::1", "http", "--family", "inet6", "--proto", "tcp", "--json"], """["getaddrinfo", "::1", "http", 10, 0, 6, 0]""" },
        { ["resolve", "localhost", "--flags", "canonname,addrconfig", "--type", "dgram", "--json"], """["getaddrinfo", "localhost", null, 0, 2, 0, 34]""" },
        { ["resolve", "nonexistent.invalid", "80", "--json"], """["getaddrinfo", "nonexistent.invalid", 80, 0, 0, 0, 0]""" },
        // Issue 11: non-ASCII names are IDNA-encoded (bücher.example is xn--bcher-kva.example), failures are Python's UnicodeError.
        { ["resolve", "bücher.example", "80", "--json"], """["getaddrinfo", "b\u00fccher.example", 80, 0, 0, 0, 0]""" },
        { ["resolve", "ｌｏｃａｌｈｏｓｔ", "80", "--type", "stream", "--json"], """["getaddrinfo", "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54", 80, 0, 1, 0, 0]""" },
        { ["resolve", "a\u1680b.example", "80", "--json"], """["getaddrinfo", "a\u1680b.example", 80, 0, 0, 0, 0]""" },
        { ["lookup", "hostbyname", "ß.example", "--json"], """["gethostbyname", "\u00df.example"]""" },
        { ["lookup", "fqdn", "bücher.example", "--json"], """["getfqdn", "b\u00fccher.example"]""" },
        { ["lookup", "hostname", "--json"], """["gethostname"]""" },
        { ["lookup", "fqdn", "--json"], """["getfqdn", ""]""" },
        { ["lookup", "hostbyname", "localhost", "--json"], """["gethostbyname", "localhost"]""" },
        { ["lookup", "hostbyname-ex", "localhost", "--json"], """["gethostbyname_ex", "localhost"]""" },
        { ["lookup", "hostbyaddr", "127.0.0.1", "--json"], """["gethostbyaddr", "127.0.0.1"]""" },
        { ["lookup", "nameinfo", "127.0.0.1", "22", "--flags", "numericserv", "--json"], """["getnameinfo", ["127.0.0.1", 22], 2]""" },
        { ["lookup", "servbyname", "http", "--json"], """["getservbyname", "http", null]""" },
        { ["lookup", "servbyport", "53", "udp", "--json"], """["getservbyport", 53, "udp"]""" },
        { ["lookup", "servbyport", "70000", "--json"], """["getservbyport", 70000, null]""" },
        { ["lookup", "protobyname", "icmp", "--json"], """["getprotobyname", "icmp"]""" },
        { ["addr", "aton", "127.1", "--json"], """["inet_aton", "127.1"]""" },
        { ["addr", "aton", "bogus", "--json"], """["inet_aton", "bogus"]""" },
        { ["addr", "ntoa", "7f000001", "--json"], """["inet_ntoa", "7f000001"]""" },
        { ["addr", "ntop", "7f0000", "--family", "inet", "--json"], """["inet_ntop", 2, "7f0000"]""" },
        { ["addr", "pton", "::ffff:1.2.3.4", "--family", "inet6", "--json"], """["inet_pton", 10, "::ffff:1.2.3.4"]""" },
        { ["addr", "htons", "65536", "--json"], """["htons", 65536]""" },
        { ["addr", "ntohl", "16909060", "--json"], """["ntohl", 16909060]""" },
        { ["addr", "nameindex", "--json"], """["if_nameindex"]""" },
        { ["addr", "nametoindex", "lo", "--json"], """["if_nametoindex", "lo"]""" },
        { ["addr", "indextoname", "1", "--json"], """["if_indextoname", 1]""" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task Json_SameValueAsPython_ExitStatusByOutcome(string[] args, string pythonCall)
    {
        async Task<(JsonNode Expected, CliRun Run)> BothAsync() => ((await OracleAsync(pythonCall))[0]!, await CliRun.AgentAsync(args));
        var (expected, run) = await BothAsync();
        // A name that reaches the machine's real nameserver can fail transiently for one side only: both are asked again, once.
        if (JsonNode.Parse(run.Stdout) is var actual && !JsonNode.DeepEquals(expected, actual)
            && (ParityAssert.IsTransientDnsFailure(expected) || ParityAssert.IsTransientDnsFailure(actual)))
        {
            (expected, run) = await BothAsync();
        }
        var failed = expected is JsonObject o && o.ContainsKey("error");
        Assert.True(run.ExitCode == (failed ? 1 : 0), $"exit {run.ExitCode}, stderr: {run.Stderr}");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(run.Stdout)), $"python: {expected.ToJsonString()}\nagent:  {run.Stdout}");
        if (failed)
        {
            Assert.StartsWith($"{expected["error"]}: ", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resolve_MissingName_PrintsGaierrorOnStderrAndExits1()
    {
        async Task<(CliRun Run, CliRun Python)> BothAsync() => (
            await CliRun.AgentAsync("resolve", "nonexistent.invalid", "80"),
            await CliRun.RunAsync("python3", ["-c",
                "import socket\ntry:\n socket.getaddrinfo('nonexistent.invalid', 80)\nexcept socket.gaierror as e:\n print(f'gaierror: [Errno {e.errno}] {e.strerror}')"]));
        var (run, python) = await BothAsync();
        // The name reaches the machine's real nameserver, which can fail transiently (EAI_AGAIN) for one side only:
        // both are asked again, once.
        if (run.Stderr != python.Stdout && (run.Stderr + python.Stdout).Contains("[Errno -3]", StringComparison.Ordinal))
        {
            (run, python) = await BothAsync();
        }
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(python.Stdout, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("a\u1680b.example")] // a code point nameprep prohibits
    [InlineData("ü..example")]        // an empty label
    [InlineData("\u05d0a\u05d0")]     // right-to-left and left-to-right in one label
    public async Task Resolve_NameIdnaRefuses_SameUnicodeErrorLineAndExitStatusAsPython(string name)
    {
        var python = await CliRun.RunAsync("python3", ["-c", "import socket, sys\nsocket.getaddrinfo(sys.argv[1], 80)", name]);
        var run = await CliRun.AgentAsync("resolve", name, "80");
        Assert.Equal(1, python.ExitCode);
        Assert.Equal(python.ExitCode, run.ExitCode);
        // The last line of Python's traceback is the exception as Agent prints it.
        Assert.Equal(python.Stderr.TrimEnd('\n').Split('\n')[^1], run.Stderr.TrimEnd('\n'));
        Assert.StartsWith("UnicodeError: encoding with 'idna' codec failed (UnicodeError: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Resolve_Text_MatchesPyMotwLayout()
    {
        var script = Seeds.GetAddrInfoLayout("'localhost', 'http', 0, 0, 0, socket.AI_CANONNAME");
        var python = await CliRun.RunAsync("python3", ["-c", script]);
        var run = await CliRun.AgentAsync("resolve", "localhost", "http", "--flags", "canonname");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(python.Stdout.TrimEnd('\n'), run.Stdout.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("resolve", "localhost", "70000")]
    [InlineData("resolve", "localhost", "80", "--family", "ipx")]
    [InlineData("resolve", "localhost", "80", "--flags", "canonname,bogus")]
    [InlineData("resolve", "localhost", "80", "--proto", "nosuch")]
    [InlineData("lookup", "nameinfo", "127.0.0.1", "65536")]
    [InlineData("lookup", "nameinfo", "127.0.0.1", "22", "--flags", "fqdn")]
    [InlineData("addr", "ntoa", "not-hex")]
    [InlineData("addr", "htons", "12x")]
    [InlineData("addr", "pton", "::1")]
    public async Task BadArguments_Exit2WithMessage_NoStackTrace(params string[] args)
    {
        var run = await CliRun.AgentAsync([.. args, "--json"]);
        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual("", run.Stderr.Trim());
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task BadArguments_HostNameOver253Characters_Exit2()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 50), 6));
        var run = await CliRun.AgentAsync("lookup", "hostbyname", name);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("253", run.Stderr, StringComparison.Ordinal);
    }

    private static async Task<JsonArray> OracleAsync(string call)
    {
        var run = await CliRun.RunAsync("python3", [CliRun.OraclePath], $"[{call}]");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonNode.Parse(run.Stdout)!.AsArray();
    }
}
