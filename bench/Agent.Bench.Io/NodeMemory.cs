using System.Diagnostics;
using System.Globalization;

namespace Agent.Bench.Io;

/// <summary>
/// The figure as an operator sees it: the resident memory of a real <c>agent run</c> process (Generic Host, Akka,
/// logging and all) holding idle echo connections, read from <c>/proc/PID/status</c>.
/// </summary>
internal static class NodeMemory
{
    private const int Target = 16 * 1024;

    /// <summary>
    /// Starts <c>dotnet AGENT_DLL run</c> with one TCP echo service, holds <paramref name="count"/> clients, prints the RSS
    /// figures. Remoting and the API take free ports, so the node cannot collide with another node on this machine.
    /// </summary>
    public static async Task<int> MeasureAsync(string agentDll, int count)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { agentDll, "run", "--echo", "tcp:127.0.0.1:0", "--remote", "127.0.0.1:0", "--api", "127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }
        using var node = Process.Start(start)!;
        node.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"agent: {e.Data}");
            }
        };
        node.BeginErrorReadLine();
        // The echo service's line and the API's come in either order.
        string line;
        do
        {
            line = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the agent exited before listening");
        }
        while (!line.StartsWith("listening tcp ", StringComparison.Ordinal));
        var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        try
        {
            RawClient.Release(RawClient.ConnectAndEcho(port));
            await Task.Delay(1000);
            var idle = Rss(node.Id);
            var clients = Clients.Open(port, count);
            // Let the node settle (last echoes written, a collection or two) before reading its memory.
            await Task.Delay(3000);
            var held = Rss(node.Id);
            clients.ForEach(RawClient.Release);
            var perConnection = (double)held / Math.Max(1, clients.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"agent run RSS: {idle / 1024.0 / 1024.0:F1} MiB idle, {held / 1024.0 / 1024.0:F1} MiB holding {clients.Count} connections; " +
                $"{perConnection:F0} bytes per connection, node included (target <= {Target}); " +
                $"{(double)(held - idle) / Math.Max(1, clients.Count):F0} bytes per connection above idle"));
            return clients.Count == count && perConnection <= Target ? 0 : 1;
        }
        finally
        {
            node.Kill();
            await node.WaitForExitAsync();
        }
    }

    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
