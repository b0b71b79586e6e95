using System.Text.Json.Serialization;

namespace Agent.Messages.Resolution;

/// <summary>
/// A name, service or protocol lookup, answered the way CPython's <c>socket</c> module
/// answers it. Sent by any actor (or the CLI) to a resolver actor; the reply is exactly
/// one <see cref="Resolved"/> carrying the matching <see cref="ResolutionResult"/>, or one
/// <see cref="ResolutionFailed"/> carrying Python's error (or a timeout).
/// </summary>
/// <remarks>Requests are plain values: two equal requests are the same question, which is
/// what the resolver's cache and in-flight coalescing key on.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(GetAddrInfo), "getaddrinfo")]
[JsonDerivedType(typeof(GetHostAddresses), "gethostaddresses")]
[JsonDerivedType(typeof(GetHostByName), "gethostbyname")]
[JsonDerivedType(typeof(GetHostByNameEx), "gethostbyname_ex")]
[JsonDerivedType(typeof(GetHostByAddr), "gethostbyaddr")]
[JsonDerivedType(typeof(GetFqdn), "getfqdn")]
[JsonDerivedType(typeof(GetHostName), "gethostname")]
[JsonDerivedType(typeof(GetNameInfo), "getnameinfo")]
[JsonDerivedType(typeof(GetServByName), "getservbyname")]
[JsonDerivedType(typeof(GetServByPort), "getservbyport")]
[JsonDerivedType(typeof(GetProtoByName), "getprotobyname")]
public abstract record ResolutionRequest : IWireMessage;
