using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agent.Messages;

/// <summary>Writes an <see cref="Endpoint"/> as its grammar string, so the wire reads like the CLI.</summary>
public sealed class EndpointJsonConverter : JsonConverter<Endpoint>
{
    /// <inheritdoc />
    public override Endpoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Endpoint.TryParse(text, out var endpoint, out var error) ? endpoint : throw new JsonException(error);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Endpoint value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
