namespace Agent.Messages.Resolution;

/// <summary>
/// <c>socket.getaddrinfo(host, port, family, type, proto, flags)</c>. Replies
/// <see cref="AddrInfoList"/> or <see cref="ResolutionFailed"/> (<c>gaierror</c>).
/// </summary>
/// <param name="Host">Host name or numeric address; null is Python's None (NULL to the C API).</param>
/// <param name="Port">Service name or decimal port; null is Python's None.</param>
/// <param name="Family">AF_* value (0 = AF_UNSPEC).</param>
/// <param name="Type">SOCK_* value (0 = any).</param>
/// <param name="Proto">IPPROTO_* value (0 = any).</param>
/// <param name="Flags">AI_* flags.</param>
public sealed record GetAddrInfo(string? Host, string? Port, int Family = 0, int Type = 0, int Proto = 0, int Flags = 0)
    : ResolutionRequest;

/// <summary>
/// The host-address helper of the getaddrinfo notes: queries AF_INET and AF_INET6
/// separately (SOCK_STREAM, so no duplicates per family) and merges the addresses
/// without duplicates in the asked order. Replies <see cref="HostAddressList"/>, or
/// <see cref="ResolutionFailed"/> when neither family resolves (the AF_INET error).
/// </summary>
public sealed record GetHostAddresses(string Host, AddressOrder Order = AddressOrder.Ipv6First) : ResolutionRequest;

/// <summary><c>socket.gethostbyname(hostname)</c>. Replies <see cref="HostAddress"/>.</summary>
public sealed record GetHostByName(string Name) : ResolutionRequest;

/// <summary><c>socket.gethostbyname_ex(hostname)</c>. Replies <see cref="HostEntry"/> (or <c>gaierror</c>/<c>herror</c>).</summary>
public sealed record GetHostByNameEx(string Name) : ResolutionRequest;

/// <summary><c>socket.gethostbyaddr(ip_address)</c>. Replies <see cref="HostEntry"/> (or <c>herror</c>).</summary>
public sealed record GetHostByAddr(string Address) : ResolutionRequest;

/// <summary><c>socket.getfqdn(name)</c>; an empty name means the local host. Replies <see cref="HostNameResult"/>, never fails.</summary>
public sealed record GetFqdn(string Name = "") : ResolutionRequest;

/// <summary><c>socket.gethostname()</c>. Replies <see cref="HostNameResult"/> (or <c>OSError</c>).</summary>
public sealed record GetHostName : ResolutionRequest
{
    /// <summary>The only value: the question has no parameters.</summary>
    public static GetHostName Instance { get; } = new();
}

/// <summary>
/// <c>socket.getnameinfo(sockaddr, flags)</c> with sockaddr <c>(Host, Port)</c>, or
/// <c>(Host, Port, FlowInfo, ScopeId)</c> when <paramref name="FlowInfo"/> is set.
/// Replies <see cref="NameInfo"/> (or <c>gaierror</c>/<c>OSError</c>).
/// </summary>
public sealed record GetNameInfo(string Host, int Port, int Flags = 0, uint? FlowInfo = null, uint? ScopeId = null)
    : ResolutionRequest;

/// <summary><c>socket.getservbyname(servicename, protocolname)</c>. Replies <see cref="ServicePort"/> (or <c>OSError</c>).</summary>
public sealed record GetServByName(string Name, string? Proto = null) : ResolutionRequest;

/// <summary><c>socket.getservbyport(port, protocolname)</c>. Replies <see cref="ServiceName"/> (or <c>OSError</c>/<c>OverflowError</c>).</summary>
public sealed record GetServByPort(int Port, string? Proto = null) : ResolutionRequest;

/// <summary><c>socket.getprotobyname(protocolname)</c>. Replies <see cref="ProtocolNumber"/> (or <c>OSError</c>).</summary>
public sealed record GetProtoByName(string Name) : ResolutionRequest;
