using System.Net;

namespace Agent.Actors.Io;

/// <summary>
/// Turns a host name into addresses for every IO actor (connect, bind, datagram targets, the
/// candidates <c>create_connection</c> races). The IO manager's default is
/// <see cref="ResolverActorAddressResolver"/>: libc's getaddrinfo through the resolver actors, so
/// names resolve, and fail, exactly as in CPython.
/// </summary>
public interface IAddressResolver
{
    /// <summary>Addresses for <paramref name="host"/>, in the resolver's preference order; failures throw <see cref="AddressResolutionException"/>.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
