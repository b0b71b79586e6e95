using System.Text.Json.Nodes;
using Agent.Actors.Resolution;
using Agent.Actors.Resolution.Idna;
using Agent.TestSupport;

namespace Agent.Actors.Tests.Resolution;

/// <summary>
/// Encodes names with python3's idna codec (idna_oracle.py, one process for the whole batch) and
/// with Agent's, both as <c>{"ok": text}</c> or <c>{"error": kind, "message": text}</c>.
/// </summary>
internal static class IdnaOracle
{
    private static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Resolution", "idna_oracle.py");

    public static async Task<JsonArray> PythonAsync(IReadOnlyList<string> names)
    {
        var input = Path.GetTempFileName();
        try
        {
            JsonArray cases = [.. names.Select(n => (JsonNode)new JsonArray([.. IdnaCodec.CodePoints(n).Select(c => (JsonNode)c)]))];
            await File.WriteAllTextAsync(input, cases.ToJsonString());
            return JsonNode.Parse(await ProcessRunner.RunAsync("python3", [ScriptPath, input]))!.AsArray();
        }
        finally
        {
            File.Delete(input);
        }
    }

    public static JsonObject Agent(string name)
    {
        try
        {
            return new JsonObject { ["ok"] = HostNameEncoding.Encode(name) };
        }
        catch (PythonException e)
        {
            return new JsonObject { ["error"] = e.Error.Kind, ["message"] = e.Error.Strerror };
        }
    }

    /// <summary>A name as Python would write it: printable ASCII as is, everything else as \x, \u or \U escapes.</summary>
    public static string Literal(string name) =>
        "'" + string.Concat(IdnaCodec.CodePoints(name).Select(c => c switch
        {
            '\\' or '\'' => "\\" + (char)c,
            >= 0x20 and < 0x7f => ((char)c).ToString(),
            <= 0xff => $"\\x{c:x2}",
            <= 0xffff => $"\\u{c:x4}",
            _ => $"\\U{c:x8}",
        })) + "'";
}
