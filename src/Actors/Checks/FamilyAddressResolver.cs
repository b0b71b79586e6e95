using System.Net;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Actors.Checks;

/// <summary>
/// <see cref="IAddressResolver"/> for one address family: <c>getaddrinfo(host, None, family, SOCK_STREAM)</c> through
/// the resolver actors, so a create_connection restricted to IPv4 or IPv6 races only that family's candidates and a
/// name without the family fails with getaddrinfo's own gaierror.
/// </summary>
internal sealed class FamilyAddressResolver(IActorRef resolver, int family, TimeSpan timeout) : IAddressResolver
{
    private const int SockStream = 1;

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var reply = await resolver.Ask<object>(new GetAddrInfo(host, null, family, SockStream), timeout, cancellationToken)
            .ConfigureAwait(false);
        return reply switch
        {
            Resolved { Result: AddrInfoList list } => list.Entries.Select(e => ProbeAddresses.ToAddress(e.SockAddr)).Distinct().ToList(),
            ResolutionFailed failed => throw new AddressResolutionException(failed.Error),
            _ => throw new AddressResolutionException(new PythonError("OSError", null, $"unexpected resolver reply {reply}")),
        };
    }
}

/// <summary>Address helpers of the probes: family numbers and getaddrinfo's socket addresses.</summary>
internal static class ProbeAddresses
{
    /// <summary>AF_INET.</summary>
    public const int AfInet = 2;

    /// <summary>AF_INET6.</summary>
    public const int AfInet6 = 10;

    /// <summary>The AF_* value of a family mode (0, AF_UNSPEC, for any).</summary>
    public static int FamilyOf(Agent.Messages.Checks.FamilyMode mode) => mode switch
    {
        Agent.Messages.Checks.FamilyMode.Ip4 => AfInet,
        Agent.Messages.Checks.FamilyMode.Ip6 => AfInet6,
        _ => 0,
    };

    /// <summary>The address of <paramref name="address"/>, with its IPv6 scope.</summary>
    public static IPAddress ToAddress(SockAddr address)
    {
        var ip = IPAddress.Parse(address.Host.Split('%')[0]);
        if (address.ScopeId is { } scope and > 0 && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            ip.ScopeId = scope;
        }
        return ip;
    }

    /// <summary>The numeric text of <paramref name="address"/> (<c>fe80::1%2</c> with a scope), as an endpoint host takes it.</summary>
    public static string ToText(SockAddr address) =>
        address.ScopeId is { } scope and > 0 ? $"{address.Host.Split('%')[0]}%{scope}" : address.Host;
}
