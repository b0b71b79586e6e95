using Agent.TestSupport;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Agent.Tests.Testbeds;
using Xunit;

namespace Agent.Tests.Cli;

public sealed partial class RunCommandTests
{
    [GeneratedRegex(@"^listening (tcp|udp|unix|unix-dgram) (.+)$")]
    private static partial Regex Listening();

    private static int PortOf(string line) => int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Run_EchoEndpoints_PrintsOneLinePerServiceAndStopsCleanlyOnSigterm()
    {
        using var dir = new TempDirectory();
        await using var node = AgentProcess.StartAgent(dir.Path, "run",
            "--echo", "tcp:127.0.0.1:0", "--echo", "udp:127.0.0.1:0", "--echo", "unix:./uds_socket", "--echo", "unix-dgram:./uds_dgram");
        var lines = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            lines.Add(await node.ExpectLineAsync(l => Listening().IsMatch(l)));
        }
        Assert.Contains("listening unix ./uds_socket", lines);
        Assert.Contains("listening unix-dgram ./uds_dgram", lines);
        Assert.Contains(lines, l => l.StartsWith("listening tcp 127.0.0.1:", StringComparison.Ordinal) && PortOf(l) > 0);
        Assert.Contains(lines, l => l.StartsWith("listening udp 127.0.0.1:", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(dir.Path, "uds_socket")));

        var tcp = lines.Single(l => l.StartsWith("listening tcp", StringComparison.Ordinal));
        var echo = await AgentProcess.RunAgentAsync(dir.Path, "echo", $"tcp:127.0.0.1:{PortOf(tcp)}");
        Assert.Equal(0, echo.ExitCode);
        Assert.Equal(["connecting to " + $"tcp:127.0.0.1:{PortOf(tcp)}", .. Seeds.StreamTranscript], echo.Stdout.TrimEnd().Split('\n'));
        var dgram = await AgentProcess.RunAgentAsync(dir.Path, "echo", "unix-dgram:./uds_dgram", "--json");
        Assert.Equal(0, dgram.ExitCode);
        Assert.Contains("\"type\":\"SOCK_DGRAM\"", dgram.Stdout, StringComparison.Ordinal);

        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
        Assert.False(File.Exists(Path.Combine(dir.Path, "uds_socket")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "uds_dgram")));
    }

    [Fact]
    public async Task Run_EchoListFromEnvironment_ReplacesTheEmbeddedListAndStdoutHoldsOnlyTheContract()
    {
        using var dir = new TempDirectory();
        var environment = new Dictionary<string, string> { ["AGENT_ECHO__0"] = "tcp:127.0.0.1:0", ["AGENT_NODE__LOGLEVEL"] = "Debug" };
        await using var node = AgentProcess.StartAgent(dir.Path, environment, "run");
        var line = await node.ExpectLineAsync(l => Listening().IsMatch(l));
        Assert.StartsWith("listening tcp 127.0.0.1:", line, StringComparison.Ordinal);
        var echo = await AgentProcess.RunAgentAsync(dir.Path, "echo", $"tcp:127.0.0.1:{PortOf(line)}", "--json");
        Assert.Equal(0, echo.ExitCode);

        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
        // The embedded udp and unix services never started; Akka's log (debug here) went to stderr only. Besides the
        // service, stdout names the API's address and the node's cluster address, once each.
        var stdout = node.Stdout.TrimEnd().Split('\n');
        Assert.Equal(3, stdout.Length);
        Assert.Contains(line, stdout);
        Assert.Single(stdout, l => Regex.IsMatch(l, @"^listening api 127\.0\.0\.1:[0-9]+$"));
        Assert.Single(stdout, l => Regex.IsMatch(l, @"^member [A-Za-z0-9._-]+ up at akka\.tcp://agent@127\.0\.0\.1:[0-9]+$"));
        Assert.False(File.Exists(Path.Combine(dir.Path, "uds_socket")));
        Assert.Contains(" DBG] ", node.Stderr, StringComparison.Ordinal);
        Assert.Contains("CoordinatedShutdown", node.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FreshNodeHitByABurstOf64Clients_EchoesEveryOne()
    {
        // Regression: the first timer of a fresh node used to be armed by 64 connection actors at once, and Akka's
        // lazily started scheduler then blocked every thread-pool thread until the pool had grown enough threads
        // (13 s here, nothing echoed meanwhile). A healthy node answers them all well inside the deadline.
        using var dir = new TempDirectory();
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--echo", "tcp:127.0.0.1:0", "--log-level", "Warning");
        var port = PortOf(await node.ExpectLineAsync(l => l.StartsWith("listening tcp", StringComparison.Ordinal)));
        using var deadline = new CancellationTokenSource(TestBed.Dilated(3));
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var echoes = await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            await client.SendAsync(payload, deadline.Token);
            var back = new byte[payload.Length];
            var read = 0;
            while (read < back.Length)
            {
                var n = await client.ReceiveAsync(back.AsMemory(read), deadline.Token);
                Assert.NotEqual(0, n);
                read += n;
            }
            return back;
        }));
        Assert.All(echoes, back => Assert.Equal(payload, back));
        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
    }

    [Theory]
    [InlineData("unix")]
    [InlineData("unix-dgram")]
    public async Task Run_PathReplacedByAFileWhileRunning_SigtermLeavesTheFile(string scheme)
    {
        // Regression (issue 8, item 1): stopping the node deleted whatever was at its path by then.
        using var dir = new TempDirectory();
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--echo", $"{scheme}:./s");
        await node.ExpectLineAsync(l => l == $"listening {scheme} ./s");
        var path = Path.Combine(dir.Path, "s");
        File.Delete(path);
        await File.WriteAllTextAsync(path, "an operator's file");

        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
        Assert.Equal("an operator's file", await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(15)]
    public async Task Run_HangupInterruptQuitOrTerminate_StopsCleanlyAndRemovesItsNode(int signal)
    {
        // Regression (issue 8, item 10): SIGHUP killed the node on the spot and left its socket file behind.
        using var dir = new TempDirectory();
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--echo", "unix:./s");
        await node.ExpectLineAsync(l => l == "listening unix ./s");
        node.Signal(signal);
        var code = await node.WaitForExitAsync();
        Assert.True(code == 0, $"exit {code}; stderr:\n{node.Stderr}");
        Assert.False(File.Exists(Path.Combine(dir.Path, "s")));
    }

    [Fact]
    public async Task Run_AnotherNodeBoundThePathSince_SigtermLeavesTheOthersSocket()
    {
        using var dir = new TempDirectory();
        await using var first = AgentProcess.StartAgent(dir.Path, "run", "--echo", "unix:./s");
        await first.ExpectLineAsync(l => l == "listening unix ./s");
        File.Delete(Path.Combine(dir.Path, "s"));
        await using var second = AgentProcess.StartAgent(dir.Path, "run", "--echo", "unix:./s");
        await second.ExpectLineAsync(l => l == "listening unix ./s");

        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync());
        var echo = await AgentProcess.RunAgentAsync(dir.Path, "echo", "unix:./s", "still here", "--json");
        Assert.Equal(0, echo.ExitCode);
        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync());
        Assert.False(File.Exists(Path.Combine(dir.Path, "s")));
    }

    [Theory]
    [InlineData("agent: --chunk: 'abc' is not a whole number", "echo", "tcp:127.0.0.1:9", "--chunk", "abc")]
    [InlineData("agent: --timeout: 'soon' is not a number", "echo", "tcp:127.0.0.1:9", "--timeout", "soon")]
    [InlineData("agent: --timeout: 'x' is not a number", "resolve", "localhost", "--timeout", "x")]
    [InlineData("agent: PORT: 'http' is not a whole number", "connect", "localhost", "http")]
    [InlineData("agent: config: echoChunk: 'abc' is not a whole number (command line)", "run", "--chunk", "abc")]
    public async Task BadNumber_ExitsTwoNamingTheOptionNotADotNetType(string expected, params string[] args)
    {
        // Regression (issue 8, item 10): these named System.Int32 or System.Double; resolve --timeout x crashed.
        using var dir = new TempDirectory();
        var (code, _, stderr) = await AgentProcess.RunAgentAsync(dir.Path, args);
        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.Split('\n')[0]);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echo_ArgumentStartingWithAt_IsAnOrdinaryArgumentNotAResponseFile()
    {
        // Regression (issue 8, item 8): "@secret.txt" was expanded to the file's contents, which the error then printed.
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("secret.txt"), "hunter2");
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "echo", "@secret.txt");
        Assert.Equal(2, code);
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("@secret.txt", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConfigFileOverTheSizeBound_ExitsTwoWithoutReadingItAll()
    {
        // Regression (issue 8, item 7): --config /dev/zero grew the process to 1.2 GB.
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "run", "--config", "/dev/zero");
        Assert.Equal(2, code);
        Assert.Equal("agent: config: /dev/zero is over the 1 MiB a config file may hold", stderr.Trim());
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Run_UnknownEnvironmentKeyInASection_ExitsTwoNamingTheVariable()
    {
        using var dir = new TempDirectory();
        var environment = new Dictionary<string, string> { ["AGENT_RESOLVER__TIMEOUTT"] = "00:00:05" };
        await using var node = AgentProcess.StartAgent(dir.Path, environment, "run", "--echo", "tcp:127.0.0.1:0");
        Assert.Equal(2, await node.WaitForExitAsync());
        Assert.Equal("agent: config: unknown key 'resolver:TIMEOUTT' (environment variable AGENT_RESOLVER__TIMEOUTT)", node.Stderr.Trim());
        Assert.Equal("", node.Stdout);
    }

    [Theory]
    [InlineData("{\"echoChunk\": \"big\"}", "agent: config: echoChunk: 'big' is not a whole number (in ")]
    [InlineData("{\"echo\": [\"tcp:127.0.0.1:0\"], \"node\": {\"nmae\": \"x\"}}", "agent: config: unknown key 'node:nmae' (in ")]
    [InlineData("{\"echo\": [", "agent: config: Failed to load configuration from file")]
    public async Task Run_BadConfigFile_ExitsTwoNamingTheProblem(string json, string expected)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("node.json"), json);
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "run", "--config", "node.json");
        Assert.Equal(2, code);
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Run_RegularFileAtUnixPath_ExitsOneNamingThePathAndLeavesTheFile()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "uds_socket");
        await File.WriteAllTextAsync(path, "not a socket");
        var (code, _, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "run", "--echo", "unix:./uds_socket");
        Assert.Equal(1, code);
        Assert.Contains("./uds_socket", stderr, StringComparison.Ordinal);
        Assert.Contains("not a socket", stderr, StringComparison.Ordinal);
        Assert.Equal("not a socket", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Run_StaleSocketNode_IsRemovedAndServed()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "uds_socket");
        using (var old = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // .NET unlinks what it bound on dispose; the rename leaves a stale node behind, as a crashed server would.
            old.Bind(new UnixDomainSocketEndPoint(path + ".tmp"));
            File.Move(path + ".tmp", path);
        }
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--echo", "unix:./uds_socket");
        await node.ExpectLineAsync(l => l == "listening unix ./uds_socket");
        var echo = await AgentProcess.RunAgentAsync(dir.Path, "echo", "unix:./uds_socket");
        Assert.Equal(0, echo.ExitCode);
        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
    }

    [Fact]
    public async Task Run_PortInUse_KeepsRunningAndBindsOnceFreed()
    {
        using var dir = new TempDirectory();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--echo", $"tcp:127.0.0.1:{port}", "--echo", "udp:127.0.0.1:0");
        // The UDP service binds at once: the node runs although the TCP port is taken.
        await node.ExpectLineAsync(l => l.StartsWith("listening udp", StringComparison.Ordinal));
        // The TCP service binds on its own schedule: only the logged failure proves it tried while the port was taken.
        await node.ExpectStderrAsync("Address already in use");
        taken.Dispose();
        Assert.Equal($"listening tcp 127.0.0.1:{port}", await node.ExpectLineAsync(l => l.StartsWith("listening tcp", StringComparison.Ordinal), 30));
        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
        // Regression (issue 8, item 6): each retry logged a six-line stack trace. Now: one warning line per retry.
        Assert.DoesNotContain("   at ", node.Stderr, StringComparison.Ordinal);
        Assert.All(node.Stderr.Split('\n').Where(l => l.Contains("Address already in use", StringComparison.Ordinal)),
            line => Assert.Contains("WRN] echo tcp:127.0.0.1:", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_AddressTheHostDoesNotHave_ExitsOneNamingTheEndpointAndTheError()
    {
        // Regression (issue 8, item 6): an error waiting cannot heal was retried forever, and the process exited 0.
        using var dir = new TempDirectory();
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--echo", "udp:127.0.0.1:0", "--echo", "tcp:192.0.2.1:0");
        Assert.Equal(1, await node.WaitForExitAsync());
        Assert.StartsWith("agent: echo tcp:192.0.2.1:0: OSError: [Errno 99] Cannot assign requested address",
            node.Stderr.Split('\n').Single(l => l.StartsWith("agent: ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", node.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "--echo", "tcp:127.0.0.1:70000")]
    [InlineData("run", "--echo", "tcp:nowhere")]
    [InlineData("run", "--echo", "unix:./log\nforged line")]
    [InlineData("echo", "unix:./a\u0001")]
    [InlineData("run", "--echo", "unix:./no/such/dir/s")]
    [InlineData("echo", "bogus:1")]
    [InlineData("echo", "tcp:127.0.0.1:99999")]
    [InlineData("echo", "unix:./no/such/dir/s")]
    [InlineData("connect", "127.0.0.1", "70000")]
    public async Task BadInput_ExitsTwoWithAMessage(params string[] args)
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await AgentProcess.RunAgentAsync(dir.Path, args);
        Assert.Equal(2, code);
        Assert.StartsWith("agent: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echo_PayloadTooLargeForUdp_ExitsTwo()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "echo", "udp:127.0.0.1:9", new string('x', 65_508));
        Assert.Equal(2, code);
        Assert.Contains("payload too large", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echo_Refused_ExitsOneWithPythonWordsInJson()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var dir = new TempDirectory();
        var (code, stdout, _) = await AgentProcess.RunAgentAsync(dir.Path, "echo", $"tcp:127.0.0.1:{port}", "--json");
        Assert.Equal(1, code);
        Assert.Equal($"{{\"endpoint\":\"tcp:127.0.0.1:{port}\",\"error\":\"ConnectionRefusedError\",\"errno\":111,\"strerror\":\"Connection refused\"}}", stdout.Trim());
    }

    [Fact]
    public async Task Echo_RefusedInText_PrintsConnectingThenThePythonErrorLikeTheSeedClient()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "echo", $"tcp:127.0.0.1:{port}");
        Assert.Equal(1, code);
        Assert.Equal([$"connecting to tcp:127.0.0.1:{port}"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ConnectionRefusedError: [Errno 111] Connection refused", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ListeningPort_PrintsTheEasyClientLinesAndAttempts()
    {
        using var listener = TcpPeer.Listen(out var port);
        using var dir = new TempDirectory();
        var (code, stdout, _) = await AgentProcess.RunAgentAsync(dir.Path, "connect", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, code);
        var lines = stdout.Split('\n');
        Assert.Equal(["Family  : AF_INET", "Type    : SOCK_STREAM", "Protocol: IPPROTO_TCP"], lines[..3]);
        Assert.Contains(lines, l => l.StartsWith($"attempt tcp:127.0.0.1:{port} at +", StringComparison.Ordinal) && l.Contains(": connected", StringComparison.Ordinal));
    }
}
