using System.Diagnostics;

namespace Agent.TestSupport;

/// <summary>Runs a child process to completion and returns its stdout; a non-zero exit fails the test with stderr.</summary>
public static class ProcessRunner
{
    public static async Task<string> RunAsync(string fileName, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }
        return await stdout;
    }
}
