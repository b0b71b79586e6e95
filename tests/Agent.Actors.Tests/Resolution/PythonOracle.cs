using System.Text.Json.Nodes;

namespace Agent.Actors.Tests.Resolution;

/// <summary>Runs python_oracle.py under the machine's python3 for a batch of calls.</summary>
internal static class PythonOracle
{
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Resolution", "python_oracle.py");

    /// <summary>Runs the calls; <paramref name="wrapper"/> (e.g. the DNS test bed script) is prepended to the command line.</summary>
    public static async Task<JsonArray> RunAsync(JsonArray calls, params string[] wrapper)
    {
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(input, calls.ToJsonString());
            string[] command = [.. wrapper, "python3", ScriptPath, input];
            var output = await ProcessRunner.RunAsync(command[0], command[1..]);
            return JsonNode.Parse(output)!.AsArray();
        }
        finally
        {
            File.Delete(input);
        }
    }
}
