using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

/// <summary>
/// The lookups of CPython's <c>socket</c> module, made through the same glibc calls with
/// the same special cases, so results and errors match Python's on the same machine.
/// Every method blocks (libc may wait on DNS) and throws <see cref="PythonException"/>
/// with what Python would raise; the resolver actors run them on a dedicated pool.
/// </summary>
public static partial class NativeLookups
{
    /// <summary>Answers <paramref name="request"/>: its result, or throws <see cref="PythonException"/>.</summary>
    public static ResolutionResult Run(ResolutionRequest request) => request switch
    {
        GetAddrInfo r => new AddrInfoList(GetAddrInfo(r.Host, r.Port, r.Family, r.Type, r.Proto, r.Flags)),
        GetHostAddresses r => new HostAddressList(GetHostAddresses(r.Host, r.Order)),
        GetHostByName r => new HostAddress(GetHostByName(r.Name)),
        GetHostByNameEx r => GetHostByNameEx(r.Name),
        GetHostByAddr r => GetHostByAddr(r.Address),
        GetFqdn r => new HostNameResult(GetFqdn(r.Name)),
        GetHostName _ => new HostNameResult(GetHostName()),
        GetNameInfo r => GetNameInfo(r.Host, r.Port, r.Flags, r.FlowInfo, r.ScopeId),
        GetServByName r => new ServicePort(GetServByName(r.Name, r.Proto)),
        GetServByPort r => new ServiceName(GetServByPort(r.Port, r.Proto)),
        GetProtoByName r => new ProtocolNumber(GetProtoByName(r.Name)),
        _ => throw new ArgumentException($"unknown resolution request {request.GetType().Name}", nameof(request)),
    };

    /// <summary>
    /// Why <paramref name="request"/> is refused before any libc call (a NUL byte, an
    /// over-long host name, a port outside 0..65535), or null if it is fine. Non-ASCII names
    /// are fine: the lookups encode them as CPython does (<see cref="HostNameEncoding.Encode"/>).
    /// </summary>
    public static string? ArgumentProblem(ResolutionRequest request) => request switch
    {
        GetAddrInfo r => HostNameEncoding.ArgumentProblem(r.Host)
            ?? HostNameEncoding.ArgumentProblem(r.Port, "port")
            ?? PortProblem(r.Port),
        GetHostAddresses r => HostNameEncoding.ArgumentProblem(r.Host),
        GetHostByName r => HostNameEncoding.ArgumentProblem(r.Name),
        GetHostByNameEx r => HostNameEncoding.ArgumentProblem(r.Name),
        GetHostByAddr r => HostNameEncoding.ArgumentProblem(r.Address, "address"),
        GetFqdn r => HostNameEncoding.ArgumentProblem(r.Name),
        GetNameInfo r => HostNameEncoding.ArgumentProblem(r.Host)
            ?? (r.Port is < 0 or > 65535 ? $"port {r.Port} is outside 0..65535" : null),
        GetServByName r => HostNameEncoding.ArgumentProblem(r.Name, "service name")
            ?? HostNameEncoding.ArgumentProblem(r.Proto, "protocol name"),
        GetServByPort r => HostNameEncoding.ArgumentProblem(r.Proto, "protocol name"),
        GetProtoByName r => HostNameEncoding.ArgumentProblem(r.Name, "protocol name"),
        _ => null,
    };

    // Python silently wraps 70000 to 4464 (glibc truncates to 16 bits); Agent refuses it.
    private static string? PortProblem(string? port) =>
        port is { Length: > 0 } && port.All(char.IsAsciiDigit)
            && (!ulong.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 65535)
            ? $"port {port} is outside 0..65535"
            : null;
}
