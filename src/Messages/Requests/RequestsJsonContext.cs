using System.Text.Json.Serialization;

namespace Agent.Messages.Requests;

/// <summary>Source-generated System.Text.Json contract for the node request protocol (the wire format between nodes).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LookupProbe))]
[JsonSerializable(typeof(AddrCall))]
[JsonSerializable(typeof(AddrAnswer))]
[JsonSerializable(typeof(EchoProbe))]
[JsonSerializable(typeof(EchoReport))]
[JsonSerializable(typeof(ConnectProbe))]
[JsonSerializable(typeof(ConnectReport))]
public sealed partial class RequestsJsonContext : JsonSerializerContext;
