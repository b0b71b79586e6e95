using System.Numerics;
using System.Text.Json.Nodes;
using Agent.Actors.Resolution;
using Agent.Messages.Resolution;
using Agent.Output;

namespace Agent.Actors.Tests.Resolution;

/// <summary>
/// Runs the calls of python_oracle.py through Agent's functions and renders the results
/// with <see cref="PythonJson"/>, so both sides can be compared as JSON.
/// </summary>
internal static class ParityCalls
{
    /// <summary>Answers lookup requests by calling libc directly.</summary>
    public static JsonNode Direct(ResolutionRequest request) => PythonJson.ToJson(NativeLookups.Run(request));

    public static JsonArray RunAll(JsonArray calls, Func<ResolutionRequest, JsonNode>? lookup = null) =>
        [.. calls.Select(c => (JsonNode?)Run(c!.AsArray(), lookup ?? Direct))];

    public static JsonNode? Run(JsonArray call, Func<ResolutionRequest, JsonNode> lookup)
    {
        try
        {
            return Dispatch(call[0]!.GetValue<string>(), [.. call.Skip(1)], lookup);
        }
        catch (PythonException e)
        {
            return PythonJson.ToJson(e.Error);
        }
    }

    private static JsonNode? Dispatch(string fn, JsonNode?[] a, Func<ResolutionRequest, JsonNode> lookup) => fn switch
    {
        "getaddrinfo" => lookup(new GetAddrInfo(Str(a, 0), PortText(a[1]), Int(a, 2), Int(a, 3), Int(a, 4), Int(a, 5))),
        "hostaddresses" => lookup(new GetHostAddresses(Str(a, 0)!, Enum.Parse<AddressOrder>(Str(a, 1)!))),
        "gethostbyname" => lookup(new GetHostByName(Str(a, 0)!)),
        "gethostbyname_ex" => lookup(new GetHostByNameEx(Str(a, 0)!)),
        "gethostbyaddr" => lookup(new GetHostByAddr(Str(a, 0)!)),
        "getfqdn" => lookup(new GetFqdn(Str(a, 0) ?? "")),
        "gethostname" => lookup(GetHostName.Instance),
        "getnameinfo" => lookup(NameInfo(a[0]!.AsArray(), Int(a, 1))),
        "getservbyname" => lookup(new GetServByName(Str(a, 0)!, Str(a, 1))),
        "getservbyport" => lookup(new GetServByPort(Int(a, 0), Str(a, 1))),
        "getprotobyname" => lookup(new GetProtoByName(Str(a, 0)!)),
        "inet_aton" => PythonJson.Hex(AddressFunctions.InetAton(Str(a, 0)!)),
        "inet_ntoa" => AddressFunctions.InetNtoa(Convert.FromHexString(Str(a, 0)!)),
        "inet_pton" => PythonJson.Hex(AddressFunctions.InetPton(Int(a, 0), Str(a, 1)!)),
        "inet_ntop" => AddressFunctions.InetNtop(Int(a, 0), Convert.FromHexString(Str(a, 1)!)),
        "htons" => AddressFunctions.Htons(Big(a, 0)),
        "ntohs" => AddressFunctions.Ntohs(Big(a, 0)),
        "htonl" => AddressFunctions.Htonl(Big(a, 0)),
        "ntohl" => AddressFunctions.Ntohl(Big(a, 0)),
        "if_nameindex" => new JsonArray([.. AddressFunctions.IfNameIndex().Select(i => (JsonNode)new JsonArray(i.Index, i.Name))]),
        "if_nametoindex" => AddressFunctions.IfNameToIndex(Str(a, 0)!),
        "if_indextoname" => AddressFunctions.IfIndexToName(Big(a, 0)),
        _ => throw new ArgumentException($"no such call {fn}"),
    };

    private static GetNameInfo NameInfo(JsonArray sockaddr, int flags) => new(
        sockaddr[0]!.GetValue<string>(), sockaddr[1]!.GetValue<int>(), flags,
        sockaddr.Count > 2 ? (uint)sockaddr[2]!.GetValue<int>() : null,
        sockaddr.Count > 3 ? (uint)sockaddr[3]!.GetValue<int>() : null);

    private static string? Str(JsonNode?[] a, int i) => i < a.Length ? a[i]?.GetValue<string>() : null;

    private static int Int(JsonNode?[] a, int i) => i < a.Length && a[i] is { } n ? n.GetValue<int>() : 0;

    private static BigInteger Big(JsonNode?[] a, int i) => BigInteger.Parse(a[i]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    // Python formats an int port with "%ld"; a string goes as is.
    private static string? PortText(JsonNode? port) => port switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => port.ToJsonString(),
    };
}
