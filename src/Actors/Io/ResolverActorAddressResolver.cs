using System.Net;
using Agent.Messages;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Actors.Io;

/// <summary>
/// <see cref="IAddressResolver"/> through the resolver actors: <c>getaddrinfo(host, port, 0, SOCK_STREAM)</c>
/// as Python's <c>create_connection</c> calls it, candidates in the resolver's order.
/// </summary>
/// <param name="resolver">A <c>ResolverActor</c>.</param>
/// <param name="timeout">How long to wait for its reply; it has its own per-request timeout too. Defaults to 30 s.</param>
public sealed class ResolverActorAddressResolver(IActorRef resolver, TimeSpan? timeout = null) : IAddressResolver
{
    private const int SockStream = 1;

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var reply = await resolver.Ask<object>(new GetAddrInfo(host, null, 0, SockStream), timeout ?? TimeSpan.FromSeconds(30), cancellationToken)
            .ConfigureAwait(false);
        return reply switch
        {
            Resolved { Result: AddrInfoList list } => list.Entries
                .Select(e => ToAddress(e.SockAddr))
                .Distinct()
                .ToList(),
            ResolutionFailed failed => throw new AddressResolutionException(failed.Error),
            _ => throw new AddressResolutionException(new PythonError("OSError", null, $"unexpected resolver reply {reply}")),
        };
    }

    private static IPAddress ToAddress(SockAddr address)
    {
        var ip = IPAddress.Parse(address.Host.Split('%')[0]);
        if (address.ScopeId is { } scope && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            ip.ScopeId = scope;
        }
        return ip;
    }
}
