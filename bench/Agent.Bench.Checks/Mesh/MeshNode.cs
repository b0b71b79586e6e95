using System.Diagnostics;
using System.Globalization;

namespace Agent.Bench.Checks.Mesh;

/// <summary>
/// One real <c>agent run</c>, pinned with <c>taskset</c> (which execs, so the process is the node): node <c>mK</c> with a
/// tcp and a udp echo service on port 0 of its own 127.0.K.1, remoting and API on free ports of 127.0.0.1 (as the tests
/// start nodes), joined through <c>--seed</c> unless it is the first; the default config otherwise. Ready once its
/// stdout has said where its API and both echo services listen and that it is Up, the lines the tests read.
/// </summary>
internal sealed class MeshNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Task _reading;

    private MeshNode(Process process, string name)
    {
        _process = process;
        Name = name;
        _reading = Task.WhenAll(ReadAsync(process.StandardOutput, _stdout), ReadAsync(process.StandardError, _stderr));
    }

    /// <summary><c>mK</c>: members are listed by name, so one digit keeps them in start order up to 9.</summary>
    public string Name { get; }

    /// <summary>The node's process id.</summary>
    public int Pid => _process.Id;

    /// <summary><c>127.0.0.1:PORT</c> of its API.</summary>
    public string Api { get; private set; } = "";

    /// <summary><c>HOST:PORT</c> of its remoting, what <c>--seed</c> takes.</summary>
    public string Remote { get; private set; } = "";

    /// <summary>Its tcp echo service, <c>127.0.K.1:PORT</c>.</summary>
    public string TcpEcho { get; private set; } = "";

    /// <summary>Its udp echo service, <c>127.0.K.1:PORT</c>.</summary>
    public string UdpEcho { get; private set; } = "";

    /// <summary>The node's name for index <paramref name="k"/> (from 1).</summary>
    public static string NameOf(int k) => $"m{k}";

    /// <summary>
    /// Starts node <paramref name="k"/> (its echo services on 127.0.<paramref name="k"/>.1) on <paramref name="cpus"/> and
    /// waits until it is Up and listening, within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<MeshNode> StartAsync(string agent, string cpus, int k, string? seed, string directory, TimeSpan timeout)
    {
        var name = NameOf(k);
        var info = new ProcessStartInfo("taskset")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(cpus);
        // agent.dll runs under the dotnet host that runs this bench; the apphost runs as it is.
        if (agent.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(DotnetHost());
        }
        string[] args = ["run", "--name", name, "--echo", $"tcp:127.0.{k}.1:0", "--echo", $"udp:127.0.{k}.1:0"];
        foreach (var arg in (string[])[agent, .. args, .. seed is null ? [] : new[] { "--seed", seed }])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["AGENT_NODE__REMOTE"] = "127.0.0.1:0";
        info.Environment["AGENT_API__LISTEN"] = "127.0.0.1:0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start taskset");
        process.StandardInput.Close();
        var node = new MeshNode(process, name);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!node.TryReady())
            {
                if (process.HasExited)
                {
                    await node._reading;
                    throw new InvalidOperationException($"{name} exited with status {process.ExitCode}: {string.Join(" / ", node.Lines(node._stderr).TakeLast(10))}");
                }
                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"{name} not Up and listening within {timeout.TotalSeconds:0} s; stdout: {string.Join(" / ", node.Lines(node._stdout))}");
                }
                await Task.Delay(50);
            }
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Its log lines (stderr) so far that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> LogLines(string text) => [.. Lines(_stderr).Where(line => line.Contains(text, StringComparison.OrdinalIgnoreCase))];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // The whole cluster goes at once: no member is left to gossip a graceful leave to.
                _process.Kill();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or the kernel is slow to reap it; nothing more to do from here.
        }
        await _reading;
        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    // The lines the tests read (ClusterTestKit, FleetScaleTests): "listening api HOST:PORT", "listening tcp|udp HOST:PORT",
    // "member NAME up at akka.tcp://agent@HOST:PORT".
    private bool TryReady()
    {
        foreach (var line in Lines(_stdout))
        {
            switch (line.Split(' '))
            {
                case ["listening", "api", var where]:
                    Api = where;
                    break;
                case ["listening", "tcp", var where]:
                    TcpEcho = where;
                    break;
                case ["listening", "udp", var where]:
                    UdpEcho = where;
                    break;
                case ["member", var who, "up", "at", var address] when who == Name:
                    Remote = address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..];
                    break;
            }
        }
        return Api.Length > 0 && TcpEcho.Length > 0 && UdpEcho.Length > 0 && Remote.Length > 0;
    }

    private List<string> Lines(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private static async Task ReadAsync(StreamReader reader, List<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (lines)
            {
                lines.Add(line.TrimEnd('\r'));
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (pid {Pid}, api {Api}, remoting {Remote}, tcp {TcpEcho}, udp {UdpEcho})");
}
