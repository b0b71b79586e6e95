using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Agent.Messages.Resolution;

/// <summary>What a successful <see cref="ResolutionRequest"/> returns, shaped like Python's return value.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(AddrInfoList), "addrinfo")]
[JsonDerivedType(typeof(HostAddressList), "hostaddresses")]
[JsonDerivedType(typeof(HostAddress), "hostaddress")]
[JsonDerivedType(typeof(HostEntry), "hostentry")]
[JsonDerivedType(typeof(HostNameResult), "hostname")]
[JsonDerivedType(typeof(NameInfo), "nameinfo")]
[JsonDerivedType(typeof(ServicePort), "serviceport")]
[JsonDerivedType(typeof(ServiceName), "servicename")]
[JsonDerivedType(typeof(ProtocolNumber), "protocol")]
public abstract record ResolutionResult;

/// <summary>A socket address as Python returns it: <c>(host, port)</c> for AF_INET, <c>(host, port, flowinfo, scope_id)</c> for AF_INET6.</summary>
/// <param name="Host">Numeric address text (no <c>%scope</c> suffix, as in Python 3.7+).</param>
/// <param name="Port">Port in host byte order.</param>
/// <param name="FlowInfo">sin6_flowinfo in host order; null for AF_INET.</param>
/// <param name="ScopeId">sin6_scope_id; null for AF_INET.</param>
public sealed record SockAddr(string Host, int Port, uint? FlowInfo = null, uint? ScopeId = null);

/// <summary>One 5-tuple of <c>getaddrinfo</c>: <c>(family, type, proto, canonname, sockaddr)</c>.</summary>
public sealed record AddrInfo(int Family, int Type, int Proto, string CanonName, SockAddr SockAddr);

/// <summary>The list <c>getaddrinfo</c> returns, in libc's order.</summary>
public sealed record AddrInfoList(ImmutableArray<AddrInfo> Entries) : ResolutionResult;

/// <summary>The merged addresses of <see cref="GetHostAddresses"/>, without duplicates.</summary>
public sealed record HostAddressList(ImmutableArray<string> Addresses) : ResolutionResult;

/// <summary>The string <c>gethostbyname</c> returns.</summary>
public sealed record HostAddress(string Address) : ResolutionResult;

/// <summary>The triple <c>(hostname, aliaslist, ipaddrlist)</c> of <c>gethostbyname_ex</c>/<c>gethostbyaddr</c>.</summary>
public sealed record HostEntry(string HostName, ImmutableArray<string> Aliases, ImmutableArray<string> Addresses) : ResolutionResult;

/// <summary>The string <c>gethostname</c> or <c>getfqdn</c> returns.</summary>
public sealed record HostNameResult(string Name) : ResolutionResult;

/// <summary>The pair <c>(host, port)</c> of <c>getnameinfo</c>; the port is a service name or decimal text.</summary>
public sealed record NameInfo(string Host, string Service) : ResolutionResult;

/// <summary>The int <c>getservbyname</c> returns.</summary>
public sealed record ServicePort(int Port) : ResolutionResult;

/// <summary>The string <c>getservbyport</c> returns.</summary>
public sealed record ServiceName(string Name) : ResolutionResult;

/// <summary>The int <c>getprotobyname</c> returns.</summary>
public sealed record ProtocolNumber(int Number) : ResolutionResult;
