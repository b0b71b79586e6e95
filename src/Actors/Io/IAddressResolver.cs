using System.Net;

namespace Agent.Actors.Io;

/// <summary>
/// Turns a host into the candidate addresses <c>create_connection</c> races. The default asks the OS
/// (getaddrinfo with SOCK_STREAM); the resolver actors can stand behind it once they land.
/// </summary>
public interface IAddressResolver
{
    /// <summary>Addresses for <paramref name="host"/>, in the resolver's preference order; throws <see cref="EndpointResolutionException"/>-like errors as <see cref="System.Net.Sockets.SocketException"/>.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
