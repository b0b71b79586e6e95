using Agent.TestSupport;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace Agent.Tests.Testbeds;

/// <summary>
/// The real <c>agent</c> executable (built next to the tests) or another program, run as a child
/// process whose output lines the test awaits; deadlines scale with AGENT_TEST_TIME_FACTOR.
/// </summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderrLines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _allStdout = new();

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stdout.Writer.TryComplete();
                return;
            }
            lock (_allStdout)
            {
                _allStdout.AppendLine(e.Data);
            }
            _stdout.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
                _stderrLines.Writer.TryWrite(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The path of the agent's entry assembly next to the tests.</summary>
    public static string AgentDll => Path.Combine(AppContext.BaseDirectory, "agent.dll");

    /// <summary>The dotnet host running the tests.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Process id.</summary>
    public int Id => _process.Id;

    /// <summary>stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_allStdout)
            {
                return _allStdout.ToString();
            }
        }
    }

    /// <summary>Starts <c>agent ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static AgentProcess StartAgent(string workingDirectory, params string[] args) =>
        Start(DotnetHost, workingDirectory, [AgentDll, .. args]);

    /// <summary>Starts <c>agent ARGS</c> in <paramref name="workingDirectory"/> with <paramref name="environment"/> added to the test's own.</summary>
    public static AgentProcess StartAgent(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(DotnetHost, workingDirectory, [AgentDll, .. args], environment: environment);

    /// <summary>Starts any program.</summary>
    public static AgentProcess Start(string fileName, string workingDirectory, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // A node started by a test takes free ports for remoting and its API (tests run side by side), unless the test sets them.
        info.Environment["AGENT_NODE__REMOTE"] = "127.0.0.1:0";
        info.Environment["AGENT_API__LISTEN"] = "127.0.0.1:0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var wrapper = new AgentProcess(process);
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        return wrapper;
    }

    /// <summary>Runs a program to completion: exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string fileName, string workingDirectory, IEnumerable<string> args, string? stdin = null, double seconds = 30,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var process = Start(fileName, workingDirectory, args, stdin, environment);
        var code = await process.WaitForExitAsync(seconds);
        return (code, process.Stdout, process.Stderr);
    }

    /// <summary>Runs <c>agent ARGS</c> to completion.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAgentAsync(string workingDirectory, params string[] args) =>
        RunAsync(DotnetHost, workingDirectory, [AgentDll, .. args]);

    /// <summary>The next stdout line matching <paramref name="predicate"/>, within <paramref name="seconds"/> (dilated).</summary>
    public async Task<string> ExpectLineAsync(Func<string, bool> predicate, double seconds = 20)
    {
        using var cancel = new CancellationTokenSource(TestBed.Dilated(seconds));
        try
        {
            while (true)
            {
                var line = await _stdout.Reader.ReadAsync(cancel.Token);
                if (predicate(line))
                {
                    return line;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException($"no matching line within {TestBed.Dilated(seconds)}; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
    }

    /// <summary>The next stderr line containing <paramref name="text"/>, within <paramref name="seconds"/> (dilated).</summary>
    public async Task<string> ExpectStderrAsync(string text, double seconds = 20)
    {
        using var cancel = new CancellationTokenSource(TestBed.Dilated(seconds));
        try
        {
            while (true)
            {
                var line = await _stderrLines.Reader.ReadAsync(cancel.Token);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no stderr line with '{text}' within {TestBed.Dilated(seconds)}; stderr:\n{Stderr}");
        }
    }

    /// <summary>Sends SIGTERM.</summary>
    public void Terminate() => Signal(15);

    /// <summary>Sends the process the signal numbered <paramref name="signal"/> (1 SIGHUP, 3 SIGQUIT, 15 SIGTERM...).</summary>
    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    /// <summary>Waits for exit within <paramref name="seconds"/> (dilated) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(double seconds = 20)
    {
        using var cancel = new CancellationTokenSource(TestBed.Dilated(seconds));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"process did not exit within {TestBed.Dilated(seconds)}; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
