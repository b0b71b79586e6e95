using System.Text.Json.Serialization;

namespace Agent.Messages.Resolution;

/// <summary>
/// Source-generated System.Text.Json contract for the resolution messages (the wire format between nodes).
/// Each concrete request has its own entry: the wire serializer writes it under its own manifest, so the
/// bytes carry no type discriminator of their own at the top level.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResolutionRequest))]
[JsonSerializable(typeof(GetAddrInfo))]
[JsonSerializable(typeof(GetHostAddresses))]
[JsonSerializable(typeof(GetHostByName))]
[JsonSerializable(typeof(GetHostByNameEx))]
[JsonSerializable(typeof(GetHostByAddr))]
[JsonSerializable(typeof(GetFqdn))]
[JsonSerializable(typeof(GetHostName))]
[JsonSerializable(typeof(GetNameInfo))]
[JsonSerializable(typeof(GetServByName))]
[JsonSerializable(typeof(GetServByPort))]
[JsonSerializable(typeof(GetProtoByName))]
[JsonSerializable(typeof(ResolutionResult))]
[JsonSerializable(typeof(Resolved))]
[JsonSerializable(typeof(ResolutionFailed))]
[JsonSerializable(typeof(PythonError))]
public sealed partial class ResolutionJsonContext : JsonSerializerContext;
