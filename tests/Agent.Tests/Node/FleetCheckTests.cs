using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Agent.Tests.Node;

/// <summary>
/// Issue 10's fleet: six <c>agent run</c> nodes on hosts of the namespace LAN (10.77.0.1-6), joined through host 1 over
/// mutual TLS, each with tcp, udp and Unix echo services and its API on its LAN address behind a token; host 7 runs the
/// DNS bed's nameserver (<c>dns-bed.sh --serve</c>), which every host resolves through, and the <c>agent check</c> the
/// test runs against host 1's API. A healthy check answers every cell ok; after the faults, all at once (a link cut, a
/// node killed, a port closed, a name taken out of the DNS, a Unix socket file removed, another left behind by its killed
/// server), one check answers exactly those failures, each with the error object Python's socket module gives for the
/// same call on the same bed, within the probe timeout plus a small bound.
/// </summary>
/// <remarks>
/// The removed Unix socket is a Python server's: a node's own echo service notices its socket file gone (checked every
/// 2 s, docs/io.md) and binds again, so removing it is no lasting fault; the test removes one and sees it come back.
/// </remarks>
public sealed class FleetCheckTests(ITestOutputHelper output)
{
    private const int Nodes = 6;
    // Not a node: the nameserver and the CLI live here.
    private const int ClientHost = 7;
    private const int RemotePort = 4053;
    private const int ApiPort = 9180;
    private const int EchoPort = 7007;
    private const int ExtraPort = 7070;
    private const double ProbeTimeout = 3;
    private const int CutHost = 6;
    private const int KilledHost = 5;
    private const int UnixHealedHost = 3;
    private const int ExtraHost = 2;
    private const string KeptName = "www.bed.test";
    private const string RemovedName = "fleet.bed.test";

    private static readonly Dictionary<string, string> Token = new() { ["AGENT_API__TOKEN"] = "fleet-" + Guid.NewGuid().ToString("N") };

    // A TCP and two Unix stream echo services on one host, killed by the test: its port then refuses, and the socket
    // file it still has stays behind; the test removes the other first.
    private const string ExtraListener = """
        import asyncio, sys
        async def echo(reader, writer):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
            writer.close()
        async def main():
            await asyncio.start_server(echo, sys.argv[1], int(sys.argv[2]))
            await asyncio.start_unix_server(echo, sys.argv[3])
            await asyncio.start_unix_server(echo, sys.argv[4])
            print("ready", flush=True)
            await asyncio.Event().wait()
        asyncio.run(main())
        """;

    // What Python's socket module answers for each failing call, as {"error", "errno", "strerror"}.
    private const string PythonOracle = """
        import json, socket, sys, time
        def err(e):
            return {"error": type(e).__name__, "errno": e.errno, "strerror": e.strerror if e.strerror is not None else str(e)}
        def tcp(host, port, timeout):
            try:
                socket.create_connection((host, port), timeout=timeout).close()
            except OSError as e:
                return err(e)
        def udp(host, port, timeout):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect((host, port))
            s.settimeout(0.1)
            end = time.monotonic() + timeout
            try:
                while True:
                    s.send(b"x" * 32)
                    try:
                        s.recv(64)
                        return None
                    except TimeoutError:
                        if time.monotonic() > end:
                            raise
            except OSError as e:
                return err(e)
            finally:
                s.close()
        def unix(path):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
            except OSError as e:
                return err(e)
            finally:
                s.close()
        def dns(name):
            try:
                socket.getaddrinfo(name, None, 0, socket.SOCK_STREAM, 0, socket.AI_CANONNAME)
            except OSError as e:
                return err(e)
        print(json.dumps(eval(sys.argv[1])))
        """;

    [LanTestBedFact("dnsmasq", "python3")]
    public async Task Fleet_SixHostsOverTls_HealthyAllOk_ThenEachFaultExactlyItsCellsWithPythonsErrors()
    {
        TestBed.Require("dnsmasq", "python3");
        DnsBed.Require();
        var ip = TestBed.Tool("ip");
        var test = Stopwatch.StartNew();
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        await using var lan = await LanBed.UpAsync(ClientHost);
        await lan.PinNeighboursAsync();
        var processes = new List<AgentProcess>();
        try
        {
            // The DNS bed's nameserver on host 7, every host resolving through it.
            var dnsDir = Directory.CreateDirectory(dir.File("dns")).FullName;
            File.WriteAllText(Path.Combine(dnsDir, "extra-hosts"), $"10.53.0.20\t{RemovedName}\n");
            var dns = Start(lan.On(ClientHost, TestBed.Tool("bash"), DnsBed.Script, "--serve", LanBed.Address(ClientHost), dnsDir));
            await dns.ExpectStderrAsync($"read {dnsDir}/extra-hosts - 1 names");
            lan.UseEtc(Path.Combine(dnsDir, "etc"));

            // A Unix path is the same on every node but each node's own: each runs with its host's directory bound over
            // `here` (ip netns exec gives every program a mount namespace of its own), so unix-echo:here/echo.sock from
            // node I reaches node I's echo service. Pathname sockets cross network namespaces; only this bind keeps them apart.
            var here = Directory.CreateDirectory(dir.File("here")).FullName;
            var hostDirs = new string[Nodes + 1];
            for (var host = 1; host <= Nodes; host++)
            {
                hostDirs[host] = Directory.CreateDirectory(dir.File($"host{host}")).FullName;
            }
            var staleSocket = dir.File("stale.sock");
            var goneSocket = dir.File("gone.sock");
            var extra = Start(lan.On(ExtraHost, TestBed.Tool("python3"), "-c", ExtraListener, LanBed.Address(ExtraHost), $"{ExtraPort}", staleSocket, goneSocket));
            await extra.ExpectLineAsync(line => line == "ready");

            var started = Stopwatch.StartNew();
            var nodes = new AgentProcess[Nodes + 1];
            nodes[1] = StartNode(lan, dir, ca, 1, here, hostDirs[1]);
            processes.Add(nodes[1]);
            await ExpectReadyAsync(nodes[1], 1, here);
            for (var host = 2; host <= Nodes; host++)
            {
                nodes[host] = StartNode(lan, dir, ca, host, here, hostDirs[host]);
                processes.Add(nodes[host]);
            }
            await Task.WhenAll(Enumerable.Range(2, Nodes - 1).Select(host => ExpectReadyAsync(nodes[host], host, here)));
            await WaitForMembersAsync(lan, dir, list => list.Count == Nodes && list.All(m => Status(m) == "Up" && Reachable(m)));
            output.WriteLine($"{Nodes} nodes up and joined in {started.Elapsed.TotalSeconds:0.0} s");

            string[] targets =
            [
                .. Enumerable.Range(1, Nodes).Select(host => $"tcp-echo:{LanBed.Address(host)}:{EchoPort}"),
                .. Enumerable.Range(1, Nodes).Select(host => $"udp-echo:{LanBed.Address(host)}:{EchoPort}"),
                $"dns:{KeptName}",
                $"dns:{RemovedName}",
                $"unix-echo:{here}/echo.sock",
                $"tcp:{LanBed.Address(ExtraHost)}:{ExtraPort}",
                $"unix-echo:{staleSocket}",
                $"unix-echo:{goneSocket}",
            ];

            var (healthy, healthyTime) = await CheckAsync(lan, dir, targets, expectedExit: 0);
            output.WriteLine($"healthy check: {Nodes} x {targets.Length} cells in {healthyTime.TotalSeconds:0.00} s (CLI start included)");
            AssertShape(healthy, targets);
            foreach (var cell in Cells(healthy))
            {
                Assert.True(cell["ok"]!.GetValue<bool>(), cell.ToJsonString());
            }
            // Names answered by the bed's nameserver, not the machine's; every datagram echoed.
            Assert.All(Cells(healthy, $"dns:{KeptName}"), cell => Assert.Equal("""["10.53.0.1"]""", cell["dns"]!["addresses"]!.ToJsonString()));
            Assert.All(Cells(healthy, $"dns:{RemovedName}"), cell => Assert.Equal("""["10.53.0.20"]""", cell["dns"]!["addresses"]!.ToJsonString()));
            Assert.All(Cells(healthy, $"udp-echo:{LanBed.Address(1)}:{EchoPort}"), cell => Assert.Equal(5, cell["datagrams"]!["received"]!.GetValue<int>()));

            // A node's own Unix echo service binds again when its socket file is removed.
            var healed = Stopwatch.StartNew();
            File.Delete(Path.Combine(hostDirs[UnixHealedHost], "echo.sock"));
            await nodes[UnixHealedHost].ExpectLineAsync(line => line == $"listening unix {here}/echo.sock", 20);
            Assert.True(File.Exists(Path.Combine(hostDirs[UnixHealedHost], "echo.sock")), "the node binds its own path: its host's directory");
            output.WriteLine($"host{UnixHealedHost}'s removed Unix socket bound again after {healed.Elapsed.TotalSeconds:0.0} s");

            // The faults, all at once.
            File.Delete(goneSocket);
            File.WriteAllText(Path.Combine(dnsDir, "extra-hosts"), "");
            dns.Signal(1);
            await dns.ExpectStderrAsync($"read {dnsDir}/extra-hosts - 0 names");
            extra.Signal(9);
            await extra.WaitForExitAsync();
            Assert.True(File.Exists(staleSocket), "a killed listener leaves its socket file behind");
            nodes[KilledHost].Signal(9);
            await nodes[KilledHost].WaitForExitAsync();
            var faults = Stopwatch.StartNew();
            await lan.CutAsync(CutHost);
            // Checked while both are unreachable and before the split-brain resolver downs them (stable-after 20 s).
            await WaitForMembersAsync(lan, dir, list => list.Count == Nodes
                && list.All(m => Reachable(m) == (Name(m) != $"host{KilledHost}" && Name(m) != $"host{CutHost}")));
            output.WriteLine($"host{KilledHost} (killed) and host{CutHost} (cut) unreachable to host1 after {faults.Elapsed.TotalSeconds:0.0} s");

            var (faulty, faultyTime) = await CheckAsync(lan, dir, targets, expectedExit: 1);
            output.WriteLine($"check with faults: {faultyTime.TotalSeconds:0.00} s (CLI start included), probe timeout {ProbeTimeout} s");
            AssertShape(faulty, targets);

            // Python on host 1, same bed, same calls: the error objects the failed cells must carry.
            var cases = new Dictionary<string, string>
            {
                [$"tcp-echo:{LanBed.Address(CutHost)}:{EchoPort}"] = $"tcp('{LanBed.Address(CutHost)}', {EchoPort}, 1)",
                [$"udp-echo:{LanBed.Address(CutHost)}:{EchoPort}"] = $"udp('{LanBed.Address(CutHost)}', {EchoPort}, 1)",
                [$"tcp-echo:{LanBed.Address(KilledHost)}:{EchoPort}"] = $"tcp('{LanBed.Address(KilledHost)}', {EchoPort}, 3)",
                [$"udp-echo:{LanBed.Address(KilledHost)}:{EchoPort}"] = $"udp('{LanBed.Address(KilledHost)}', {EchoPort}, 3)",
                [$"dns:{RemovedName}"] = $"dns('{RemovedName}')",
                [$"tcp:{LanBed.Address(ExtraHost)}:{ExtraPort}"] = $"tcp('{LanBed.Address(ExtraHost)}', {ExtraPort}, 3)",
                [$"unix-echo:{staleSocket}"] = $"unix('{staleSocket}')",
                [$"unix-echo:{goneSocket}"] = $"unix('{goneSocket}')",
            };
            var (oracleCode, oracleOut, oracleErr) = await AgentProcess.RunAsync(ip, dir.Path,
                lan.On(1, TestBed.Tool("python3"), "-c", PythonOracle, "{" + string.Join(", ", cases.Select(c => $"'{c.Key}': {c.Value}")) + "}"));
            Assert.True(oracleCode == 0, oracleErr);
            var python = JsonNode.Parse(oracleOut)!.AsObject();
            output.WriteLine($"python: {python.ToJsonString()}");
            // What the faults are, in Python's words (checked here so that a changed bed shows up as such).
            Assert.Equal("TimeoutError", python[$"tcp-echo:{LanBed.Address(CutHost)}:{EchoPort}"]!["error"]!.GetValue<string>());
            Assert.Equal("TimeoutError", python[$"udp-echo:{LanBed.Address(CutHost)}:{EchoPort}"]!["error"]!.GetValue<string>());
            Assert.Equal("""{"error":"ConnectionRefusedError","errno":111,"strerror":"Connection refused"}""", python[$"tcp-echo:{LanBed.Address(KilledHost)}:{EchoPort}"]!.ToJsonString());
            Assert.Equal("""{"error":"ConnectionRefusedError","errno":111,"strerror":"Connection refused"}""", python[$"udp-echo:{LanBed.Address(KilledHost)}:{EchoPort}"]!.ToJsonString());
            Assert.Equal("""{"error":"gaierror","errno":-2,"strerror":"Name or service not known"}""", python[$"dns:{RemovedName}"]!.ToJsonString());
            Assert.Equal("""{"error":"ConnectionRefusedError","errno":111,"strerror":"Connection refused"}""", python[$"tcp:{LanBed.Address(ExtraHost)}:{ExtraPort}"]!.ToJsonString());
            Assert.Equal("""{"error":"ConnectionRefusedError","errno":111,"strerror":"Connection refused"}""", python[$"unix-echo:{staleSocket}"]!.ToJsonString());
            Assert.Equal("""{"error":"FileNotFoundError","errno":2,"strerror":"No such file or directory"}""", python[$"unix-echo:{goneSocket}"]!.ToJsonString());

            var wrong = new List<string>();
            foreach (var cell in Cells(faulty))
            {
                var host = int.Parse(cell["node"]!.GetValue<string>()["host".Length..], CultureInfo.InvariantCulture);
                var target = cell["target"]!.GetValue<string>();
                var error = cell["error"];
                bool right;
                if (host is KilledHost or CutHost)
                {
                    right = error?["error"]?.GetValue<string>() == "NodeUnreachable" && error["errno"] is null
                        && error["strerror"]!.GetValue<string>() == $"host{host} (akka.ssl.tcp://agent@{LanBed.Address(host)}:{RemotePort}): it is unreachable (the failure detector lost its heartbeats)";
                }
                else if (python[target] is { } expected)
                {
                    right = !cell["ok"]!.GetValue<bool>() && JsonNode.DeepEquals(expected, error) && cell["latency_ms"] is null;
                }
                else
                {
                    right = cell["ok"]!.GetValue<bool>() && error is null;
                }
                if (!right)
                {
                    wrong.Add(cell.ToJsonString());
                }
            }
            Assert.True(wrong.Count == 0, $"{wrong.Count} cell(s) not as expected:\n{string.Join('\n', wrong)}");
            // 2 rows of NodeUnreachable, 4 rows with the failed targets.
            Assert.Equal($$"""{"ok":{{(Nodes - 2) * (targets.Length - cases.Count)}},"failed":{{2 * targets.Length + (Nodes - 2) * cases.Count}}}""", faulty["summary"]!.ToJsonString());
            // The slowest cells are the cut host's services, which time out; nothing waits for the check's deadline
            // (probe timeout + 3.25 s). The bound includes starting the CLI.
            Assert.True(faultyTime < TimeSpan.FromSeconds(ProbeTimeout) + TestTime.Seconds(3),
                $"the check took {faultyTime.TotalSeconds:0.00} s, the probes' timeout is {ProbeTimeout} s");
            output.WriteLine($"whole test {test.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }

        AgentProcess Start(IEnumerable<string> args)
        {
            var process = AgentProcess.Start(ip, dir.Path, args);
            processes.Add(process);
            return process;
        }
    }

    private AgentProcess StartNode(LanBed lan, TempDirectory dir, TestCa ca, int host, string here, string hostDir)
    {
        var address = LanBed.Address(host);
        var certificate = ca.Issue($"host{host}", address);
        string[] seed = host == 1 ? [] : ["--seed", $"{LanBed.Address(1)}:{RemotePort}"];
        string[] run =
        [
            AgentProcess.DotnetHost, AgentProcess.AgentDll, "run", "--name", $"host{host}",
            "--remote", $"{address}:{RemotePort}", "--api", $"{address}:{ApiPort}",
            "--echo", $"tcp:{address}:{EchoPort}", "--echo", $"udp:{address}:{EchoPort}", "--echo", $"unix:{here}/echo.sock",
            .. certificate.RunOptions(ca.CertificatePath), .. seed,
        ];
        return AgentProcess.Start(TestBed.Tool("ip"), dir.Path,
            lan.On(host, [TestBed.Tool("sh"), "-c", """mount --bind "$1" "$2" && shift 2 && exec "$@" """, "fleet-node", hostDir, here, .. run]),
            environment: Token);
    }

    // The node's membership line, its API and its three echo services, in any order.
    private static async Task ExpectReadyAsync(AgentProcess node, int host, string here)
    {
        var address = LanBed.Address(host);
        var expected = new HashSet<string>(StringComparer.Ordinal)
        {
            $"member host{host} up at akka.ssl.tcp://agent@{address}:{RemotePort}",
            $"listening api {address}:{ApiPort}",
            $"listening tcp {address}:{EchoPort}",
            $"listening udp {address}:{EchoPort}",
            $"listening unix {here}/echo.sock",
        };
        while (expected.Count > 0)
        {
            expected.Remove(await node.ExpectLineAsync(expected.Contains, 90));
        }
    }

    // agent check --json, run on host 7 against host 1's API over the LAN; the matrix and the wall time of the CLI.
    private async Task<(JsonNode Matrix, TimeSpan Elapsed)> CheckAsync(LanBed lan, TempDirectory dir, string[] targets, int expectedExit)
    {
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await AgentProcess.RunAsync(TestBed.Tool("ip"), dir.Path,
            lan.On(ClientHost, [AgentProcess.DotnetHost, AgentProcess.AgentDll, "check", .. targets,
                "--timeout", ProbeTimeout.ToString(CultureInfo.InvariantCulture), "--json", "--api", $"{LanBed.Address(1)}:{ApiPort}"]),
            seconds: 60, environment: Token);
        var elapsed = clock.Elapsed;
        Assert.True(code == expectedExit, $"exit {code}: {stdout}\n{stderr}");
        return (JsonNode.Parse(stdout)!, elapsed);
    }

    private static void AssertShape(JsonNode matrix, string[] targets)
    {
        Assert.Equal(Enumerable.Range(1, Nodes).Select(host => $"host{host}"), matrix["nodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(targets, matrix["targets"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(Nodes * targets.Length, matrix["results"]!.AsArray().Count);
    }

    private static IEnumerable<JsonNode> Cells(JsonNode matrix, string? target = null) =>
        matrix["results"]!.AsArray().Select(cell => cell!).Where(cell => target is null || cell["target"]!.GetValue<string>() == target);

    private static string Name(JsonNode member) => member["name"]!.GetValue<string>();

    private static string Status(JsonNode member) => member["status"]!.GetValue<string>();

    private static bool Reachable(JsonNode member) => member["reachable"]!.GetValue<bool>();

    // Asks host 1's API (agent nodes, run on host 7) until its members are as expected.
    private static async Task WaitForMembersAsync(LanBed lan, TempDirectory dir, Func<IReadOnlyList<JsonNode>, bool> expected)
    {
        using var deadline = new CancellationTokenSource(TestBed.Dilated(60));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var last = "";
        do
        {
            var (code, stdout, stderr) = await AgentProcess.RunAsync(TestBed.Tool("ip"), dir.Path,
                lan.On(ClientHost, AgentProcess.DotnetHost, AgentProcess.AgentDll, "nodes", "--api", $"{LanBed.Address(1)}:{ApiPort}", "--json"),
                environment: Token);
            last = code == 0 ? stdout : stderr;
            if (code == 0 && expected([.. JsonNode.Parse(stdout)!["members"]!.AsArray().Select(m => m!)]))
            {
                return;
            }
        }
        while (await ClusterTestKit.WaitTick(tick, deadline.Token));
        throw new Xunit.Sdk.XunitException($"host1's members never as expected; last answer: {last}");
    }
}
