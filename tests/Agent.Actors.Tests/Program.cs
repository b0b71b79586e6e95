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
                var calls = JsonNode.Parse(await File.ReadAllTextAsync(callsFile))!.AsArray();
                Console.WriteLine(ParityCalls.RunAll(calls).ToJsonString());
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: Agent.Actors.Tests.dll parity CALLS.json");
                return 2;
        }
    }
}
