using System.Text.Json.Serialization;

namespace Agent.Messages.Resolution;

/// <summary>Source-generated System.Text.Json contract for the resolution messages (the wire format between nodes).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResolutionRequest))]
[JsonSerializable(typeof(ResolutionResult))]
[JsonSerializable(typeof(Resolved))]
[JsonSerializable(typeof(ResolutionFailed))]
[JsonSerializable(typeof(PythonError))]
public sealed partial class ResolutionJsonContext : JsonSerializerContext;
