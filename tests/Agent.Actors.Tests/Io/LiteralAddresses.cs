using System.Net;
using Agent.Actors.Io;

namespace Agent.Actors.Tests.Io;

/// <summary>A resolver for tests whose endpoints are all literals: asking it for a name is a test bug.</summary>
internal sealed class LiteralAddresses : IAddressResolver
{
    public static readonly LiteralAddresses Only = new();

    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"a test endpoint named a host ({host}); use a literal address");
}
