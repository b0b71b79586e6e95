using System.Diagnostics;

namespace Agent.Bench.Checks;

/// <summary>
/// A helper process the bench starts (an echo server, dnsmasq, blackbox_exporter), pinned with <c>taskset</c>: ready
/// once a line of its stderr says so; every stderr line kept (so what it logged can be shown); killed on dispose.
/// </summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _reading;

    private Child(Process process, string name)
    {
        _process = process;
        Name = name;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>What the tables call it.</summary>
    public string Name { get; }

    /// <summary>The process (taskset execs, so it is the program itself).</summary>
    public Process Process => _process;

    /// <summary>How many stderr lines it has written so far.</summary>
    public int LineCount
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Starts <paramref name="program"/> on <paramref name="cpu"/>; returns it and its first stderr line that <paramref name="ready"/> accepts.</summary>
    public static Task<(Child Child, string ReadyLine)> StartAsync(string name, int cpu, string program, IEnumerable<string> args, Func<string, bool> ready, TimeSpan timeout) =>
        StartAsync(name, cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), program, args, ready, timeout);

    /// <summary>Starts <paramref name="program"/> on the CPUs <paramref name="cpus"/> lists (taskset's syntax: <c>0</c>, <c>0-1</c>); returns it and its first stderr line that <paramref name="ready"/> accepts.</summary>
    public static async Task<(Child Child, string ReadyLine)> StartAsync(string name, string cpus, string program, IEnumerable<string> args, Func<string, bool> ready, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("taskset") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(cpus);
        info.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var child = new Child(process, name);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (child.Lines(0).FirstOrDefault(ready) is { } line)
            {
                return (child, line);
            }
            if (process.HasExited)
            {
                await child._reading;
                child.Dispose();
                throw new InvalidOperationException($"{name} exited with status {process.ExitCode}: {string.Join(" / ", child.Lines(0))}");
            }
            await Task.Delay(20);
        }
        child.Dispose();
        throw new TimeoutException($"{name} did not say it was ready within {timeout.TotalSeconds} s: {string.Join(" / ", child.Lines(0))}");
    }

    /// <summary>The stderr lines from number <paramref name="from"/> on.</summary>
    public IReadOnlyList<string> Lines(int from)
    {
        lock (_lines)
        {
            return [.. _lines.Skip(from)];
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        // stdout is not read by anyone: close our end so a helper that writes there gets EPIPE rather than blocking.
        _process.StandardOutput.Close();
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
