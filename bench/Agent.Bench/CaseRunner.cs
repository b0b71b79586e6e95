using System.Runtime;
using System.Text.Json;
using Agent.Bench.Cases;

namespace Agent.Bench;

/// <summary>The measuring process: runs one figure and prints it as one <c>RESULT {json}</c> line on stdout.</summary>
internal static class CaseRunner
{
    public const string ResultPrefix = "RESULT ";

    public static async Task<int> RunInThisProcessAsync(string name, BenchSettings settings)
    {
        if (GCSettings.IsServerGC || GCSettings.LatencyMode == GCLatencyMode.Interactive)
        {
            // The bar was measured with workstation non-concurrent GC; anything else is not comparable.
            await Console.Error.WriteLineAsync($"Agent.Bench: expected workstation non-concurrent GC, got server={GCSettings.IsServerGC} latency={GCSettings.LatencyMode}");
            return 1;
        }
        var result = name switch
        {
            "pingpong-1x1" => await PingPongCase.RunAsync(name, pairs: 1, inFlight: 1, reportMessages: false, settings),
            "pingpong-8x1" => await PingPongCase.RunAsync(name, pairs: 8, inFlight: 1, reportMessages: false, settings),
            "pingpong-8x64" => await PingPongCase.RunAsync(name, pairs: 8, inFlight: 64, reportMessages: true, settings),
            "ask" => await AskCase.RunAsync(name, settings),
            "spawn" => await SpawnCase.RunSpawnAsync(name, settings),
            "memory" => await SpawnCase.RunMemoryAsync(name, settings),
            _ => null,
        };
        if (result is null)
        {
            await Console.Error.WriteLineAsync($"Agent.Bench: unknown case '{name}'; known: {string.Join(", ", BenchCases.Names)}");
            return 2;
        }
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, BenchJsonContext.Default.CaseResult));
        return 0;
    }
}
