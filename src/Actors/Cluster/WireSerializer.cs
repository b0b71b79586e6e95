using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Messages.Requests;
using Agent.Messages.Resolution;
using Akka.Actor;
using Akka.Serialization;

namespace Agent.Actors.Cluster;

/// <summary>
/// The only way an <see cref="IWireMessage"/> reaches the wire: JSON from the System.Text.Json source-generated
/// contracts of <c>Agent.Messages</c>, under a short constant manifest per concrete type. The manifest is looked up
/// in a fixed table, never resolved as a type name, so bytes from the network cannot choose a .NET type; a
/// manifest outside the table or a payload that is not a complete message of its type is refused with a
/// <see cref="SerializationException"/> and counted in <see cref="RefusedPayloads"/>. Bind it with
/// <see cref="WireSerialization"/>.
/// </summary>
/// <remarks>
/// <para>What Akka.Remote does with a refusal (read in Akka.NET's source at 1.5.30, dev commit 07c2b516, and checked
/// against the decompiled 1.5.74 <c>Akka.Remote.dll</c>, which has the same inbound code): <c>EndpointReader.Reading</c>
/// (<c>src/core/Akka.Remote/Endpoint.cs</c> lines 1947-1990) hands each decoded user message to
/// <c>DefaultMessageDispatcher.Dispatch</c> (line 85: <c>MessageSerializer.Deserialize</c>, which calls
/// <c>Serialization.Deserialize(bytes, id, manifest)</c> and so <see cref="FromBinary"/>) inside a
/// <c>catch (Exception)</c> (line 1979) that only logs a warning, "Deserialization failed for message with serializer id
/// [..] and manifest [..]. Transient association error (association remains live)" (lines 1996-2005): the message is
/// dropped and the association stays up. That path is taken for every message without a sequence number
/// (<c>ReliableDeliveryEnabled</c>, <c>AkkaPduCodec.cs</c> line 162), i.e. everything but Akka's system messages
/// (only <c>ISystemMessage</c>s get one, <c>Endpoint.cs</c> line 864); the sequenced path (<c>DeliverAndAck</c>, line
/// 2081) has no catch, but none of our messages is a system message.</para>
/// <para>Outbound, a throwing <see cref="ToBinary"/> or <see cref="Manifest"/> is caught in <c>EndpointWriter.WriteSend</c>:
/// 1.5.74 wraps any exception of the serializer in a <c>SerializationException</c> and logs "Serialization failed for
/// message [..]. Transient association error (association remains live)"; 1.5.30 (line 1535) caught only
/// <c>SerializationException</c> and <c>ArgumentException</c> that way and tore the association down for any other,
/// which is why this serializer throws only those two.</para>
/// <para>So the serializer logs nothing itself: Akka.Remote logs the drop, with this exception's message, which names
/// the manifest escaped and bounded (<see cref="MaxManifestEcho"/>) and never a type from the bytes.</para>
/// </remarks>
public sealed class WireSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>
    /// The serializer id written into every frame. It must never change: a node that reads another id for the same
    /// bytes cannot find the serializer and drops every message of a node running the other version.
    /// </summary>
    public const int Id = 1177;

    /// <summary>How many characters of an unknown manifest the exception message repeats (escaped); the rest is counted.</summary>
    public const int MaxManifestEcho = 64;

    // The contracts with stricter reading than their defaults: every field is written (nulls too), so a frame missing
    // a constructor argument, or carrying null where the type says non-null, is malformed rather than a message with a
    // hole an actor would trip over. Metadata stays source-generated: only the options differ.
    private static readonly ResolutionJsonContext Contracts = new(Strict(ResolutionJsonContext.Default.Options));

    private static readonly RequestsJsonContext RequestContracts = new(Strict(RequestsJsonContext.Default.Options));

    private static readonly ChecksJsonContext CheckContracts = new(Strict(ChecksJsonContext.Default.Options));

    // The table: concrete type -> manifest -> contract. Manifests are part of the wire format: never reuse or rename one.
    private static readonly (Type Type, string Manifest, JsonTypeInfo Contract)[] Table =
    [
        (typeof(GetAddrInfo), "gai", Contracts.GetAddrInfo),
        (typeof(GetHostAddresses), "gha", Contracts.GetHostAddresses),
        (typeof(GetHostByName), "ghbn", Contracts.GetHostByName),
        (typeof(GetHostByNameEx), "ghbnx", Contracts.GetHostByNameEx),
        (typeof(GetHostByAddr), "ghba", Contracts.GetHostByAddr),
        (typeof(GetFqdn), "fqdn", Contracts.GetFqdn),
        (typeof(GetHostName), "ghn", Contracts.GetHostName),
        (typeof(GetNameInfo), "gni", Contracts.GetNameInfo),
        (typeof(GetServByName), "gsbn", Contracts.GetServByName),
        (typeof(GetServByPort), "gsbp", Contracts.GetServByPort),
        (typeof(GetProtoByName), "gpbn", Contracts.GetProtoByName),
        (typeof(Resolved), "rs", Contracts.Resolved),
        (typeof(ResolutionFailed), "rf", Contracts.ResolutionFailed),
        (typeof(LookupProbe), "look", RequestContracts.LookupProbe),
        (typeof(AddrCall), "addr", RequestContracts.AddrCall),
        (typeof(AddrAnswer), "addr-a", RequestContracts.AddrAnswer),
        (typeof(EchoProbe), "echo", RequestContracts.EchoProbe),
        (typeof(EchoReport), "echo-r", RequestContracts.EchoReport),
        (typeof(ConnectProbe), "conn", RequestContracts.ConnectProbe),
        (typeof(ConnectReport), "conn-r", RequestContracts.ConnectReport),
        (typeof(RunProbe), "probe", CheckContracts.RunProbe),
        (typeof(ProbeResult), "probe-r", CheckContracts.ProbeResult),
        (typeof(GetLatestChecks), "latest", CheckContracts.GetLatestChecks),
        (typeof(LatestChecks), "latest-r", CheckContracts.LatestChecks),
    ];

    private static readonly FrozenDictionary<Type, (string Manifest, JsonTypeInfo Contract)> ByType =
        Table.ToFrozenDictionary(e => e.Type, e => (e.Manifest, e.Contract));

    private static readonly FrozenDictionary<string, JsonTypeInfo> ByManifest =
        Table.ToFrozenDictionary(e => e.Manifest, e => e.Contract, StringComparer.Ordinal);

    private static long _refused;

    /// <summary>The manifest of every concrete wire type (the table, for tests and documentation).</summary>
    public static IReadOnlyDictionary<Type, string> Manifests { get; } = Table.ToFrozenDictionary(e => e.Type, e => e.Manifest);

    /// <summary>
    /// Frames refused by <see cref="FromBinary"/> in this process since it started (unknown manifest or malformed
    /// payload), over all actor systems: each was dropped by Akka.Remote with a warning, the association kept.
    /// </summary>
    public static long RefusedPayloads => Interlocked.Read(ref _refused);

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="o"/> is not in the table (a local bug, not a peer's).</exception>
    public override string Manifest(object o) => Lookup(o).Manifest;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not in the table (a local bug, not a peer's).</exception>
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, Lookup(obj).Contract);

    /// <inheritdoc />
    /// <exception cref="SerializationException">The manifest is not in the table, or the bytes are not a complete
    /// message of its type; the message names the manifest (escaped, bounded) and the payload length only.</exception>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest is null || !ByManifest.TryGetValue(manifest, out var contract))
        {
            throw Refuse($"Unknown wire manifest {Describe(manifest)} for serializer {Id}");
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, contract)
                ?? throw Refuse($"Malformed payload for wire manifest [{manifest}] ({bytes.Length} bytes): null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Not the JSON exception's message nor it as inner exception: those quote text from the bytes unescaped.
            var where = e is JsonException { BytePositionInLine: { } position, LineNumber: { } line } ? $" at line {line}, byte {position}" : "";
            throw Refuse($"Malformed payload for wire manifest [{manifest}] ({bytes.Length} bytes): {KindOf(e)}{where}");
        }
    }

    /// <summary>
    /// <paramref name="defaults"/> made strict as the wire reads our contracts: every field written (nulls too), and a
    /// missing constructor argument or a null where the type says non-null refused; metadata stays source-generated.
    /// </summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions defaults) => new(defaults)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static (string Manifest, JsonTypeInfo Contract) Lookup(object o) =>
        ByType.TryGetValue(o.GetType(), out var entry)
            ? entry
            : throw new ArgumentException($"{o.GetType()} is not a wire message: add it to WireSerializer's table or keep it local", nameof(o));

    private static SerializationException Refuse(string message)
    {
        Interlocked.Increment(ref _refused);
        return new SerializationException(message);
    }

    private static string KindOf(Exception e) => e switch
    {
        JsonException => "not a complete message of its type",
        NotSupportedException => "unsupported shape",
        _ => "invalid value",
    };

    /// <summary>The manifest as printable ASCII in brackets: at most <see cref="MaxManifestEcho"/> characters, escaped.</summary>
    private static string Describe(string? manifest)
    {
        if (manifest is null)
        {
            return "(none)";
        }
        var text = new StringBuilder("[");
        foreach (var c in manifest.AsSpan(0, Math.Min(manifest.Length, MaxManifestEcho)))
        {
            _ = c is >= ' ' and <= '~' and not '\\' and not '[' and not ']'
                ? text.Append(c)
                : text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        text.Append(']');
        if (manifest.Length > MaxManifestEcho)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" (first {MaxManifestEcho} of {manifest.Length} characters)");
        }
        return text.ToString();
    }
}
