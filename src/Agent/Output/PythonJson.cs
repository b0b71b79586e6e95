using System.Text.Json.Nodes;
using Agent.Messages;
using Agent.Messages.Io;
using Agent.Messages.Resolution;

namespace Agent.Output;

/// <summary>
/// Renders results and errors as the JSON of the value Python returns: tuples as arrays,
/// families and socket types by their enum names (<c>"AF_INET6"</c>, <c>"SOCK_STREAM"</c>),
/// bytes as lowercase hex, errors as <c>{"error", "errno", "strerror"}</c>. The one JSON writer of every
/// command's results and errors.
/// </summary>
internal static class PythonJson
{
    /// <summary>The JSON of the Python return value for <paramref name="result"/>.</summary>
    public static JsonNode ToJson(ResolutionResult result) => result switch
    {
        AddrInfoList r => new JsonArray([.. r.Entries.Select(e => (JsonNode)new JsonArray(
            FamilyName(e.Family), TypeName(e.Type), e.Proto, e.CanonName, ToJson(e.SockAddr)))]),
        HostAddressList r => new JsonArray([.. r.Addresses.Select(a => (JsonNode)a)]),
        HostAddress r => r.Address,
        HostEntry r => new JsonArray(
            r.HostName,
            new JsonArray([.. r.Aliases.Select(a => (JsonNode)a)]),
            new JsonArray([.. r.Addresses.Select(a => (JsonNode)a)])),
        HostNameResult r => r.Name,
        NameInfo r => new JsonArray(r.Host, r.Service),
        ServicePort r => r.Port,
        ServiceName r => r.Name,
        ProtocolNumber r => r.Number,
        _ => throw new ArgumentException($"unknown result {result.GetType().Name}", nameof(result)),
    };

    /// <summary><c>[host, port]</c> or <c>[host, port, flowinfo, scope_id]</c>.</summary>
    public static JsonNode ToJson(SockAddr sockAddr) => sockAddr.FlowInfo is { } flow
        ? new JsonArray(sockAddr.Host, sockAddr.Port, flow, sockAddr.ScopeId ?? 0)
        : new JsonArray(sockAddr.Host, sockAddr.Port);

    /// <summary><c>{"error": kind, "errno": n, "strerror": text}</c>; errno is null where Python's is <c>None</c>.</summary>
    public static JsonObject ToJson(PythonError error) => AddError(new JsonObject(), error);

    /// <summary>The same three fields added to <paramref name="target"/>, for a command whose object carries more.</summary>
    public static JsonObject AddError(JsonObject target, PythonError error)
    {
        target["error"] = error.Kind;
        target["errno"] = error.Errno;
        target["strerror"] = error.Strerror;
        return target;
    }

    /// <summary>A socket's <c>family</c>, <c>type</c>, <c>proto</c>, <c>local</c> and <c>peer</c> (null when unconnected) added to <paramref name="target"/>.</summary>
    public static JsonObject AddSocket(JsonObject target, SocketInfo socket)
    {
        target["family"] = socket.Family;
        target["type"] = socket.Type;
        target["proto"] = socket.Proto;
        target["local"] = socket.Local.ToString();
        target["peer"] = socket.Peer?.ToString();
        return target;
    }

    /// <summary>Lowercase hex, like <c>binascii.hexlify(b).decode()</c>.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>The AddressFamily enum name Python prints, or the number when Python has no name for it.</summary>
    public static JsonNode FamilyName(int family) => family switch
    {
        0 => "AF_UNSPEC",
        1 => "AF_UNIX",
        2 => "AF_INET",
        10 => "AF_INET6",
        _ => family,
    };

    /// <summary>The SocketKind enum name Python prints, or the number.</summary>
    public static JsonNode TypeName(int type) => type switch
    {
        1 => "SOCK_STREAM",
        2 => "SOCK_DGRAM",
        3 => "SOCK_RAW",
        4 => "SOCK_RDM",
        5 => "SOCK_SEQPACKET",
        _ => type,
    };
}
