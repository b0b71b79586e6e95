namespace Agent.Bench.Remote;

/// <summary>Which serializer carries the wire messages between the two nodes.</summary>
internal enum SerializerVariant
{
    /// <summary>Ours: <c>WireSerialization.Config</c> binds <c>IWireMessage</c> to <c>WireSerializer</c> (id 1177).</summary>
    Ours,

    /// <summary>Akka's default: no binding, so the messages fall to the <c>System.Object</c> binding (Newtonsoft with type names).</summary>
    Default,
}

/// <summary>The variants' names as the command line and the table write them.</summary>
internal static class SerializerVariants
{
    public static IReadOnlyList<SerializerVariant> All { get; } = [SerializerVariant.Ours, SerializerVariant.Default];

    public static string Name(this SerializerVariant variant) => variant == SerializerVariant.Ours ? "ours" : "default";

    public static SerializerVariant Parse(string name) => name switch
    {
        "ours" => SerializerVariant.Ours,
        "default" => SerializerVariant.Default,
        _ => throw new ArgumentException($"unknown serializer '{name}': expected ours or default", nameof(name)),
    };
}
