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
        switch (args)
        {
            case ["parity", var callsFile]:
                Console.WriteLine(ParityCalls.RunAll(await ReadCalls(callsFile)).ToJsonString());
                return 0;
            case ["parity-actors", var callsFile]:
                Console.WriteLine((await BedScenarios.ParityThroughActorsAsync(await ReadCalls(callsFile))).ToJsonString());
                return 0;
            case ["blackhole-timeout", var ms]:
                var timeout = TimeSpan.FromMilliseconds(double.Parse(ms, System.Globalization.CultureInfo.InvariantCulture));
                Console.WriteLine((await BedScenarios.BlackholeTimeoutAsync(timeout)).ToJsonString());
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: Agent.Actors.Tests.dll parity|parity-actors CALLS.json | blackhole-timeout MS");
                return 2;
        }
    }

    private static async Task<JsonArray> ReadCalls(string file) => JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray();
}
