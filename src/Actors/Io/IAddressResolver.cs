using System.Net;

namespace Agent.Actors.Io;

/// <summary>
/// Turns a host into the candidate addresses <c>create_connection</c> races. The default asks the OS
/// (getaddrinfo with SOCK_STREAM); <see cref="ResolverActorAddressResolver"/> asks the resolver actors.
/// </summary>
public interface IAddressResolver
{
    /// <summary>Addresses for <paramref name="host"/>, in the resolver's preference order; failures throw <see cref="AddressResolutionException"/> (or the OS's <see cref="System.Net.Sockets.SocketException"/>).</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
