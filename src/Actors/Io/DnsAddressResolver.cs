using System.Net;

namespace Agent.Actors.Io;

/// <summary><see cref="IAddressResolver"/> over the OS resolver (getaddrinfo), as Python's <c>create_connection</c> uses.</summary>
public sealed class DnsAddressResolver : IAddressResolver
{
    /// <summary>The shared instance.</summary>
    public static readonly DnsAddressResolver Instance = new();

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
}
