using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Agent.Messages.Checks;

namespace Agent.Bench.Checks;

/// <summary>
/// The driver's handle on the probing node: this executable re-launched with <c>--node</c> under
/// <c>unshare --mount</c> (the bench's hosts, resolv.conf and nsswitch.conf bind-mounted over /etc's) and
/// <c>taskset -c PROBE_CPU</c>. Both exec, so the process is the node itself. It ends when its stdin closes.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    // Runs in the new mount namespace: bind the bench's files, then become the node on its core.
    private const string Script = """
        mount --bind "$1/hosts" /etc/hosts && mount --bind "$1/resolv.conf" /etc/resolv.conf &&
          mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf || exit 77
        cpu=$2; shift 2
        exec taskset -c "$cpu" "$@"
        """;

    private readonly Process _process;
    private readonly Task _stderr;

    private NodeProcess(Process process, Task stderr, string ready)
    {
        _process = process;
        _stderr = stderr;
        ReadyLine = ready;
    }

    /// <summary>The node's process (for its CPU time).</summary>
    public Process Process => _process;

    /// <summary>What the node said when ready: its processor count and affinity.</summary>
    public string ReadyLine { get; }

    public static async Task<NodeProcess> StartAsync(TestBed bed, int cpu)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown: cannot re-launch this benchmark");
        var info = new ProcessStartInfo("unshare")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--mount", "--propagation", "private", "--", "sh", "-c", Script, "bench-node", bed.Directory, cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), host])
        {
            info.ArgumentList.Add(arg);
        }
        // Run as `dotnet Agent.Bench.Checks.dll`: the host needs the entry assembly; run as the apphost, it does not.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        info.ArgumentList.Add("--node");
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start unshare");
        var stderr = Task.Run(() => ForwardAsync(process));
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(cancel.Token);
            if (line is null || !line.StartsWith(ProbingNode.Ready, StringComparison.Ordinal))
            {
                await process.WaitForExitAsync(cancel.Token);
                throw new InvalidOperationException($"the probing node did not start (exit status {process.ExitCode}, first line '{line}')");
            }
            return new NodeProcess(process, stderr, line);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>
    /// Keeps one probe per target in flight; calls <paramref name="opened"/> as the measured window opens and
    /// <paramref name="closed"/> as it closes, then returns the node's sample.
    /// </summary>
    public async Task<NodeSample> RunAsync(IReadOnlyList<string> targets, FamilyMode family, TimeSpan warmup, TimeSpan duration, Action opened, Action closed)
    {
        await SendAsync(new NodeCommand("run", targets, family, warmup.TotalSeconds, duration.TotalSeconds));
        await ExpectAsync(ProbingNode.MeasuringLine);
        opened();
        await ExpectAsync(ProbingNode.StoppedLine);
        closed();
        return JsonSerializer.Deserialize(await ReadAsync(), ChecksBenchJson.Lines.NodeSample)!;
    }

    /// <summary>Probes <paramref name="target"/> once; returns the result as the wire's JSON.</summary>
    public async Task<string> OnceAsync(string target, FamilyMode family)
    {
        await SendAsync(new NodeCommand("once", [target], family, 0, 0));
        return await ReadAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _stderr;
        _process.Dispose();
    }

    private async Task SendAsync(NodeCommand command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command, ChecksBenchJson.Lines.NodeCommand));
        await _process.StandardInput.FlushAsync();
    }

    private async Task ExpectAsync(string expected)
    {
        var line = await ReadAsync();
        if (line != expected)
        {
            throw new InvalidOperationException($"the probing node said '{line}', expected {expected}");
        }
    }

    private async Task<string> ReadAsync()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await _process.StandardOutput.ReadLineAsync(cancel.Token)
            ?? throw new InvalidOperationException($"the probing node exited{(_process.HasExited ? $" with status {_process.ExitCode}" : "")}");
    }

    private static async Task ForwardAsync(Process process)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            await Console.Error.WriteLineAsync($"[node] {line}");
        }
    }
}
