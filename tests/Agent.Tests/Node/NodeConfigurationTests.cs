using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Actors.Resolution;
using Agent.Node;
using Agent.TestSupport;
using Xunit;

namespace Agent.Tests.Node;

public sealed class NodeConfigurationTests
{
    private static (NodeOptions? Options, IReadOnlyList<string> Errors) Load(string? fileJson = null, params (string Key, string Value)[] commandLine)
    {
        using var dir = new TempDirectory();
        string? file = null;
        if (fileJson is not null)
        {
            file = dir.File("node.json");
            File.WriteAllText(file, fileJson);
        }
        return NodeConfiguration.Bind(NodeConfiguration.Build(file, commandLine.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))));
    }

    [Fact]
    public void Embedded_Alone_BindsToTheCodeDefaults()
    {
        var (options, errors) = Load();
        Assert.Empty(errors);
        Assert.True(string.IsNullOrEmpty(options!.Node.Name));
        Assert.Equal(System.Net.Dns.GetHostName(), options.NodeName);
        Assert.Equal(new HostPort("127.0.0.1", 4053), options.RemoteAddress);
        Assert.Equal(new HostPort("127.0.0.1", 9180), options.ApiAddress);
        Assert.Empty(options.SeedAddresses);
        Assert.Empty(options.Node.Labels);
        Assert.Null(options.Api.Token);
        Assert.Equal(["tcp:127.0.0.1:10000", "udp:127.0.0.1:10000", "unix:./uds_socket"], options.Echo);
        Assert.Equal(65_536, options.EchoChunk);
        Assert.Equal(EchoLimits.Default, options.ToEchoLimits());
        Assert.Equal(IoSettings.Default, options.ToIoSettings());
        Assert.Equal(ResolverSettings.Default, options.ToResolverSettings());
    }

    [Fact]
    public void File_SetsTheList_ReplacesTheEmbeddedListWhole()
    {
        var (options, errors) = Load("""{"echo": ["udp:127.0.0.1:0"], "resolver": {"timeout": "00:00:03", "positiveTtl": "00:01:00"}}""");
        Assert.Empty(errors);
        Assert.Equal(["udp:127.0.0.1:0"], options!.Echo);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ToResolverSettings().Timeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ToResolverSettings().PositiveTtl);
        Assert.Equal(ResolverSettings.Default.Concurrency, options.Resolver.Concurrency);
    }

    [Fact]
    public void File_EmptyList_NoEchoServices()
    {
        var (options, errors) = Load("""{"echo": []}""");
        Assert.Empty(errors);
        Assert.Empty(options!.Echo);
    }

    [Fact]
    public void CommandLine_OverridesTheFile()
    {
        var (options, errors) = Load("""{"echo": ["udp:127.0.0.1:0", "tcp:127.0.0.1:0"], "echoChunk": 100}""",
            ("echo:0", "unix:./x"), ("echoChunk", "16"), ("node:name", "edge-1"));
        Assert.Empty(errors);
        Assert.Equal(["unix:./x"], options!.Echo);
        Assert.Equal(16, options.EchoChunk);
        Assert.Equal("edge-1", options.Node.Name);
    }

    [Fact]
    public void UnknownKey_InFile_NamesTheKeyAndTheFile()
    {
        var (options, errors) = Load("""{"echoChunck": 16, "io": {"maxPending": 1}, "checks": [{"name": "c", "intervall": "00:00:05", "targets": ["dns:a"]}]}""");
        Assert.Null(options);
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("unknown key 'checks:0:intervall'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("unknown key 'echoChunck' (in /tmp/", StringComparison.Ordinal) && e.EndsWith("node.json)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("unknown key 'io:maxPending'", StringComparison.Ordinal));
    }

    [Fact]
    public void ValueThatDoesNotConvert_NamesTheKey()
    {
        var (options, errors) = Load("""{"resolver": {"timeout": "10s"}}""");
        Assert.Null(options);
        Assert.StartsWith("resolver:timeout: '10s' is not a duration (hh:mm:ss[.fff], e.g. 00:00:05) (in /tmp/", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"echoChunk": 0}""", "echoChunk must be 1-16777216, got 0")]
    [InlineData("""{"echo": ["tcp:localhost"]}""", "echo:0: ")]
    [InlineData("""{"echo": ["tcp:127.0.0.1:7", "udp:127.0.0.1:7", "tcp:127.0.0.1:7"]}""", "echo:2: tcp:127.0.0.1:7 is echo:0 already")]
    [InlineData("""{"echo": ["unix:./s", "unix:./s"]}""", "echo:1: unix:./s is echo:0 already")]
    [InlineData("""{"node": {"name": "no spaces"}}""", "node:name must be 1-63 letters, digits, '.', '-' or '_', starting with a letter or digit, got 'no spaces'")]
    [InlineData("""{"node": {"remote": "127.0.0.1"}}""", "node:remote: '127.0.0.1' is not HOST:PORT")]
    [InlineData("""{"node": {"remote": "127.0.0.1:65536"}}""", "node:remote: the port of '127.0.0.1:65536' must be 0-65535")]
    [InlineData("""{"node": {"remote": "node.example:4053"}}""", "node:remote: 'node.example' must be an IP address (or localhost) to listen on")]
    [InlineData("""{"node": {"remote": "10.0.0.1:4053"}}""", "node:remote 10.0.0.1:4053 is not a loopback address: remoting beyond loopback needs mutual TLS")]
    [InlineData("""{"node": {"remote": "0.0.0.0:4053"}}""", "node:remote 0.0.0.0:4053 is a wildcard: give the address other members reach this node at")]
    [InlineData("""{"node": {"remote": "[::]:4053"}}""", "node:remote [::]:4053 is a wildcard")]
    [InlineData("""{"node": {"seeds": ["[::1:4053"]}}""", "node:seeds:0: '[::1:4053' is not HOST:PORT")]
    [InlineData("""{"node": {"labels": {"name": "x"}}}""", "node:labels:name: the label key 'name' is reserved")]
    [InlineData("""{"node": {"labels": {"zone": "eu west"}}}""", "node:labels:zone: a label value must be 1-63 letters")]
    [InlineData("""{"api": {"listen": "0.0.0.0:9180"}}""", "api:listen 0.0.0.0:9180 is not a loopback address: set a bearer token (api:token")]
    [InlineData("""{"api": {"token": "short"}}""", "api:token must be at least 16 characters, got 5")]
    [InlineData("""{"api": {"maxBodyBytes": 10}}""", "api:maxBodyBytes must be 1024-16777216, got 10")]
    [InlineData("""{"node": {"logLevel": "Loud"}}""", "node:logLevel must be one of Verbose, Debug, Information, Warning, Error, Fatal")]
    [InlineData("""{"resolver": {"concurrency": 0}}""", "resolver:concurrency must be 1-1024, got 0")]
    [InlineData("""{"io": {"acceptBackoffMin": "00:00:05", "acceptBackoffMax": "00:00:01"}}""", "io:acceptBackoffMax (00:00:01) must not be below io:acceptBackoffMin (00:00:05)")]
    [InlineData("""{"probes": {"maxConcurrent": 0}}""", "probes:maxConcurrent must be 1-4096, got 0")]
    [InlineData("""{"node": {"heartbeatPause": "00:00:00.500"}}""", "node:heartbeatPause must be 1 s to 5 min, got 00:00:00.5000000")]
    [InlineData("""{"checks": [{"targets": ["dns:a"]}]}""", "checks:0:name must be set to 1-63 letters")]
    [InlineData("""{"checks": [{"name": "c", "targets": []}]}""", "checks:0:targets and targetsFile must give 1-2000 targets, got 0")]
    [InlineData("""{"checks": [{"name": "c", "targetsFile": "/nonexistent/targets.json"}]}""", "checks:0:targetsFile /nonexistent/targets.json: Could not find")]
    [InlineData("""{"checks": [{"name": "c", "targets": ["tcp:x:0"]}]}""", "checks:0:targets:0: 'tcp:x:0': a probe needs a port 1-65535, got 0")]
    [InlineData("""{"checks": [{"name": "c", "interval": "00:00:00.100", "targets": ["dns:a"]}]}""", "checks:0:interval must be 1 s to 1 day, got 00:00:00.1000000")]
    [InlineData("""{"checks": [{"name": "c", "retries": 11, "targets": ["dns:a"]}]}""", "checks:0:retries must be 0-10, got 11")]
    [InlineData("""{"checks": [{"name": "c", "family": "ipx", "targets": ["dns:a"]}]}""", "checks:0:family must be any, ip4, ip6 or both, got 'ipx'")]
    [InlineData("""{"checks": [{"name": "c", "from": ["no spaces"], "targets": ["dns:a"]}]}""", "checks:0:from:0: 'no spaces' is neither all, a node name nor a label KEY=VALUE")]
    [InlineData("""{"checks": [{"name": "c", "targets": ["dns:a"]}, {"name": "d", "targets": ["dns:a"]}]}""", "checks:1:targets:0: dns:a is checks:0:targets:0 already")]
    [InlineData("""{"checks": [{"name": "c", "targets": ["dns:a"]}, {"name": "c", "targets": ["dns:b"]}]}""", "checks:1:name 'c' names another check already")]
    public void ValueOutOfRange_NamesTheKey(string json, string expected)
    {
        var (options, errors) = Load(json);
        Assert.Null(options);
        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_TheOnesThatChooseThisNode_WithTheirTargetsFilesProbes()
    {
        using var dir = new TempDirectory();
        var targets = dir.File("targets.yaml");
        File.WriteAllText(targets, "targets:\n  - dns:from-file\n  - target: tcp:db:5432\n    retries: 2\n");
        var (options, errors) = Load($$$"""
            {"node": {"name": "edge-1", "labels": {"zone": "eu"}},
             "checks": [
               {"name": "all", "interval": "00:00:10", "timeout": "00:00:02", "targets": ["dns:a"], "targetsFile": "{{{targets}}}"},
               {"name": "eu", "from": ["zone=eu"], "targets": ["dns:b"]},
               {"name": "us", "from": ["zone=us", "edge-2"], "targets": ["dns:c"]},
               {"name": "me", "from": ["edge-1"], "targets": ["dns:d"], "history": 5}
             ]}
            """);
        Assert.Empty(errors);
        var checks = options!.ContinuousChecks();
        Assert.Equal(["all", "eu", "me"], checks.Select(c => c.Name));
        Assert.Equal(["dns:a", "dns:from-file", "tcp:db:5432"], checks[0].Probes.Select(p => p.Target.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(2), checks[0].Probes[1].EffectiveOptions.Timeout);
        Assert.Equal(2, checks[0].Probes[2].EffectiveOptions.Retries);
        Assert.Equal(TimeSpan.FromSeconds(10), checks[0].Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), checks[1].Interval);
        Assert.Equal(5, checks[2].History);
    }

    [Fact]
    public void Checks_HistoryOverTheBoundInAll_Refused()
    {
        var targets = string.Join(", ", Enumerable.Range(1, 101).Select(i => $"\"dns:h{i}\""));
        var (options, errors) = Load($$"""{"checks": [{"name": "c", "history": 10000, "targets": [{{targets}}]}]}""");
        Assert.Null(options);
        Assert.Equal("checks keep at most 1000000 history samples in all (targets x history, summed over the checks), got 1010000", Assert.Single(errors));
    }

    [Fact]
    public void ClusterKeys_FromEveryLayer_SeedsReplacedWholeLabelsMerged()
    {
        var (options, errors) = Load("""{"node": {"name": "edge-1", "seeds": ["10.0.0.1:4053", "10.0.0.2:4053"], "labels": {"zone": "eu", "rack": "r1"}}}""",
            ("node:seeds:0", "[::1]:4054"), ("node:labels:zone", "us"), ("api:listen", "[::1]:0"), ("api:token", "0123456789abcdef"));
        Assert.Empty(errors);
        Assert.Equal([new HostPort("::1", 4054)], options!.SeedAddresses);
        Assert.Equal("[::1]:4054", options.SeedAddresses[0].ToString());
        Assert.Equal(new Dictionary<string, string> { ["zone"] = "us", ["rack"] = "r1" }, options.Node.Labels);
        Assert.Equal(new HostPort("::1", 0), options.ApiAddress);
        Assert.True(options.ApiAddress.IsLoopback);
    }

    [Fact]
    public void NonLoopbackApi_WithAToken_Allowed()
    {
        var (options, errors) = Load("""{"api": {"listen": "0.0.0.0:9180", "token": "0123456789abcdef"}}""");
        Assert.Empty(errors);
        Assert.False(options!.ApiAddress.IsLoopback);
    }
}
