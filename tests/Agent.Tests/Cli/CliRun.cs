using System.Diagnostics;

namespace Agent.Tests.Cli;

/// <summary>Runs a process (the built agent, or python3) and captures exit status, stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static string AgentDll => Path.Combine(AppContext.BaseDirectory, "agent.dll");

    public static string OraclePath => Path.Combine(AppContext.BaseDirectory, "Cli", "python_oracle.py");

    public static Task<CliRun> AgentAsync(params string[] args) => RunAsync("dotnet", [AgentDll, .. args]);

    public static async Task<CliRun> RunAsync(string fileName, IEnumerable<string> args, string? stdin = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
