using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agent.Bench;

/// <summary>Source-generated JSON: one-line RESULT records (Default) and the indented --json report.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CaseResult))]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext
{
    public static BenchJsonContext Indented { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true });
}
