using System.Text.Json.Nodes;
using static Agent.Actors.Tests.Resolution.LookupParityTests;

namespace Agent.Actors.Tests.Resolution;

/// <summary>
/// Real DNS (dnsmasq behind a private /etc/resolv.conf, see tests/testbeds/dns-bed.sh):
/// the PyMOTW lookups of CNAME aliases, dual-stack names, canonical names and missing
/// names, by python3 and by Agent inside the same bed.
/// </summary>
public sealed class DnsBedTests
{
    private static string TestsDll => Path.Combine(AppContext.BaseDirectory, "Agent.Actors.Tests.dll");

    private static JsonArray BedCalls() =>
    [
        Call("gethostbyname_ex", "web.bed.test"),
        Call("gethostbyname_ex", "ftp.bed.test"),
        Call("gethostbyname_ex", "www.bed.test"),
        Call("gethostbyname_ex", "files"),
        Call("gethostbyname", "web.bed.test"),
        Call("gethostbyname", "missing.bed.test"),
        Call("gethostbyname_ex", "missing.bed.test"),
        Call("gethostbyaddr", "10.53.0.1"),
        Call("gethostbyaddr", "fd53::2"),
        Call("gethostbyaddr", "web.bed.test"),
        Call("getfqdn", "web.bed.test"),
        Call("getfqdn", "files"),
        Call("getaddrinfo", "dual.bed.test", 80, 0, 1, 0, 2),
        Call("getaddrinfo", "dual.bed.test", "http", 0, 0, 0, 0),
        Call("getaddrinfo", "dual.bed.test", 80, 10, 1, 0, 0),
        Call("getaddrinfo", "v6only.bed.test", 80, 2, 1, 0, 0),
        Call("getaddrinfo", "v6only.bed.test", 80, 2, 1, 0, 8),
        Call("getaddrinfo", "web.bed.test", 80, 0, 1, 0, 2),
        Call("getaddrinfo", "missing.bed.test", 80, 0, 1, 0, 0),
        Call("getnameinfo", new JsonArray("10.53.0.2", 80), 0),
        Call("getnameinfo", new JsonArray("10.53.0.9", 80), 8),
        Call("hostaddresses", "dual.bed.test", "Ipv6First"),
        Call("hostaddresses", "dual.bed.test", "Ipv4First"),
        Call("hostaddresses", "v6only.bed.test", "Ipv4First"),
        Call("hostaddresses", "missing.bed.test", "Ipv4First"),
    ];

    [DnsTestBedFact]
    public async Task DirectLookups_InBed_MatchPython()
    {
        DnsBed.Require();
        var calls = BedCalls();
        var expected = await PythonOracle.RunAsync(calls, DnsBed.Script);
        var actual = await RunInBedAsync("parity", calls);
        ParityAssert.Equal(calls, expected, actual);
    }

    [DnsTestBedFact]
    public async Task ActorLookups_InBed_MatchPythonAndPyMotw()
    {
        DnsBed.Require();
        var calls = BedCalls();
        var expected = await PythonOracle.RunAsync(calls, DnsBed.Script);
        var actual = await RunInBedAsync("parity-actors", calls);
        ParityAssert.Equal(calls, expected, actual);

        // The PyMOTW shapes, stated outright so a broken bed cannot make both sides agree on nothing.
        Assert.Equal("""["www.bed.test",["web.bed.test"],["10.53.0.1"]]""", actual[0]!.ToJsonString());
        Assert.Equal("""{"error":"gaierror","errno":-2,"strerror":"Name or service not known"}""", actual[5]!.ToJsonString());
        var dual = actual[12]!.AsArray();
        Assert.Equal(["AF_INET", "AF_INET6"], dual.Select(e => e![0]!.GetValue<string>()).Order());
        Assert.Equal("dual.bed.test", dual[0]![3]!.GetValue<string>());
        Assert.Equal("""["fd53::2","10.53.0.2"]""", actual[21]!.ToJsonString());
        Assert.Equal("""["10.53.0.2","fd53::2"]""", actual[22]!.ToJsonString());
    }

    [DnsTestBedFact]
    public async Task BlackholeNameserver_LookupTimesOutOnTime_OthersAnswered()
    {
        DnsBed.Require();
        var timeout = TestTime.Seconds(2);
        var output = await ProcessRunner.RunAsync(DnsBed.Script,
            ["--blackhole", "dotnet", TestsDll, "blackhole-timeout", timeout.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var report = JsonNode.Parse(output)!;
        Assert.True(report["stuckTimedOut"]!.GetValue<bool>(), output);
        var stuckMs = report["stuckMs"]!.GetValue<double>();
        Assert.InRange(stuckMs, timeout.TotalMilliseconds - 50, (timeout + TestTime.Seconds(2)).TotalMilliseconds);
        Assert.Equal(40, report["othersResolved"]!.GetValue<int>());
        Assert.True(report["othersMaxMs"]!.GetValue<double>() < stuckMs, $"others waited for the stuck lookup: {output}");
    }

    private static async Task<JsonArray> RunInBedAsync(string mode, JsonArray calls)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, calls.ToJsonString());
            var output = await ProcessRunner.RunAsync(DnsBed.Script, ["dotnet", TestsDll, mode, file]);
            return JsonNode.Parse(output)!.AsArray();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
