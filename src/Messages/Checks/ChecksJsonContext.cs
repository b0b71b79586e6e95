using System.Text.Json.Serialization;

namespace Agent.Messages.Checks;

/// <summary>
/// Source-generated System.Text.Json contract for the probe protocol: the shape these messages will have on the
/// wire and in the API's JSON (snake_case, as the node request protocol; targets and families as their text).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunProbe))]
[JsonSerializable(typeof(ProbeResult))]
[JsonSerializable(typeof(ProbeOptions))]
[JsonSerializable(typeof(ProbeTarget))]
[JsonSerializable(typeof(GetLatestChecks))]
[JsonSerializable(typeof(LatestChecks))]
public sealed partial class ChecksJsonContext : JsonSerializerContext;
