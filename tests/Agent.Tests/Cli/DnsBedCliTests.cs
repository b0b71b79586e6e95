using Agent.TestSupport;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Tests.Testbeds;
using Xunit;

namespace Agent.Tests.Cli;

/// <summary>
/// PyMOTW's "Looking up Hosts" and "Looking Up Server Addresses" examples, run by python3
/// and rebuilt from <c>agent ... --json</c> inside the same DNS test bed.
/// </summary>
public sealed class DnsBedCliTests
{
    private static readonly string[] Hosts = ["www.bed.test", "web.bed.test", "dual.bed.test", "files", "missing.bed.test"];

    [DnsTestBedFact]
    public async Task GetHostByNameEx_PyMotwExample_SameOutputAsPython()
    {
        DnsBed.Require();
        var python = $$"""
            import socket
            for host in {{PyList(Hosts)}}:
                print(host)
                try:
                    name, aliases, addresses = socket.gethostbyname_ex(host)
                    print('  Hostname:', name)
                    print('  Aliases :', aliases)
                    print(' Addresses:', addresses)
                except socket.error as msg:
                    print('ERROR:', msg)
                print()
            """;
        var expected = await InBedAsync("python3", "-c", python);
        var actual = new StringBuilder();
        foreach (var host in Hosts)
        {
            var run = await CliRun.RunAsync(DnsBed.Script, ["dotnet", CliRun.AgentDll, "lookup", "hostbyname-ex", host, "--json"]);
            var value = JsonNode.Parse(run.Stdout)!;
            Assert.Equal(value is JsonObject ? 1 : 0, run.ExitCode);
            actual.AppendLine(host);
            if (value is JsonObject error)
            {
                actual.AppendLine($"ERROR: [Errno {error["errno"]}] {error["strerror"]}");
            }
            else
            {
                actual.AppendLine($"  Hostname: {value[0]}");
                actual.AppendLine($"  Aliases : {PyList(value[1]!.AsArray().Select(a => a!.ToString()))}");
                actual.AppendLine($" Addresses: {PyList(value[2]!.AsArray().Select(a => a!.ToString()))}");
            }
            actual.AppendLine();
        }
        Assert.Equal(expected, actual.ToString());
        Assert.Contains("  Hostname: www.bed.test\n  Aliases : ['web.bed.test']", expected, StringComparison.Ordinal);
    }

    [DnsTestBedFact]
    public async Task Resolve_DualStackWithCanonName_SameTextAsPyMotw()
    {
        DnsBed.Require();
        var python = Seeds.GetAddrInfoLayout("'dual.bed.test', 'http', 0, socket.SOCK_STREAM, 0, socket.AI_CANONNAME");
        var expected = await InBedAsync("python3", "-c", python);
        var actual = await InBedAsync("dotnet", CliRun.AgentDll, "resolve", "dual.bed.test", "http", "--type", "stream", "--flags", "canonname");
        Assert.Equal(expected.TrimEnd('\n'), actual.TrimEnd('\n'));
        Assert.Contains("Family        : AF_INET6", actual, StringComparison.Ordinal);
        Assert.Contains("Family        : AF_INET\n", actual, StringComparison.Ordinal);
        Assert.Contains("Canonical name: dual.bed.test", actual, StringComparison.Ordinal);
    }

    [DnsTestBedFact]
    public async Task Resolve_MissingName_FailsLikePython()
    {
        DnsBed.Require();
        var run = await CliRun.RunAsync(DnsBed.Script, ["dotnet", CliRun.AgentDll, "resolve", "missing.bed.test", "80"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("gaierror: [Errno -2] Name or service not known\n", run.Stderr);
    }

    private static async Task<string> InBedAsync(params string[] command)
    {
        var run = await CliRun.RunAsync(DnsBed.Script, command);
        Assert.True(run.ExitCode == 0, $"{string.Join(' ', command)}: exit {run.ExitCode}: {run.Stderr}");
        return run.Stdout;
    }

    private static string PyList(IEnumerable<string> items) => $"[{string.Join(", ", items.Select(i => $"'{i}'"))}]";
}
