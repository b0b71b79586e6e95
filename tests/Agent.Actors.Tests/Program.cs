using System.Text.Json.Nodes;
using Agent.Actors.Tests.Resolution;

namespace Agent.Actors.Tests;

/// <summary>
/// Entry point when the test assembly is run with <c>dotnet Agent.Actors.Tests.dll</c>: the
/// DNS test bed tests run scenarios this way inside the bed's mount namespace.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The result is the only thing on stdout: whatever the actor system logs (Akka's default logger writes to the
        // console) goes to stderr, where the test shows it only when the scenario fails.
        var results = Console.Out;
        Console.SetOut(Console.Error);
        switch (args)
        {
            case ["parity", var callsFile]:
                await results.WriteLineAsync(ParityCalls.RunAll(await ReadCalls(callsFile)).ToJsonString());
                return 0;
            case ["parity-actors", var callsFile]:
                await results.WriteLineAsync((await BedScenarios.ParityThroughActorsAsync(await ReadCalls(callsFile))).ToJsonString());
                return 0;
            case ["blackhole-timeout", var ms]:
                var timeout = TimeSpan.FromMilliseconds(double.Parse(ms, System.Globalization.CultureInfo.InvariantCulture));
                await results.WriteLineAsync((await BedScenarios.BlackholeTimeoutAsync(timeout)).ToJsonString());
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: Agent.Actors.Tests.dll parity|parity-actors CALLS.json | blackhole-timeout MS");
                return 2;
        }
    }

    private static async Task<JsonArray> ReadCalls(string file) => JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray();
}
