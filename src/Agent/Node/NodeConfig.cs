using System.Text.Json;
using Agent.Messages;

namespace Agent.Node;

/// <summary>
/// The node config (<c>config/agent.json</c> is the embedded default):
/// <c>{"node": {"name", "logLevel"}, "echo": ["tcp:127.0.0.1:10000", ...], "echoChunk": 65536}</c>.
/// </summary>
/// <param name="Name">The actor system name.</param>
/// <param name="LogLevel">Serilog level name (Verbose, Debug, Information, Warning, Error).</param>
/// <param name="Echo">Echo service endpoints.</param>
/// <param name="EchoChunk">Read size of echo services; 16 reproduces the seed transcripts. Defaults to 64 KiB.</param>
internal sealed record NodeConfig(string Name, string LogLevel, IReadOnlyList<Endpoint> Echo, int EchoChunk)
{
    /// <summary>Reads a config; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static NodeConfig Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var node = root.TryGetProperty("node", out var n) ? n : default;
            var name = node.ValueKind == JsonValueKind.Object && node.TryGetProperty("name", out var nm) ? nm.GetString() ?? "agent" : "agent";
            var level = node.ValueKind == JsonValueKind.Object && node.TryGetProperty("logLevel", out var lv) ? lv.GetString() ?? "Information" : "Information";
            var echo = new List<Endpoint>();
            if (root.TryGetProperty("echo", out var list))
            {
                foreach (var item in list.EnumerateArray())
                {
                    var text = item.GetString();
                    if (!Endpoint.TryParse(text, out var endpoint, out var error))
                    {
                        throw new FormatException($"{source}: echo: {error}");
                    }
                    echo.Add(endpoint);
                }
            }
            var chunk = root.TryGetProperty("echoChunk", out var c) ? c.GetInt32() : 64 * 1024;
            if (chunk is < 1 or > 16 * 1024 * 1024)
            {
                throw new FormatException($"{source}: echoChunk must be 1-16777216, got {chunk}");
            }
            return new NodeConfig(name, level, echo, chunk);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>The embedded default config.</summary>
    public static NodeConfig Embedded()
    {
        using var stream = typeof(NodeConfig).Assembly.GetManifestResourceStream("agent.json")
            ?? throw new InvalidOperationException("embedded agent.json is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded agent.json");
    }
}
