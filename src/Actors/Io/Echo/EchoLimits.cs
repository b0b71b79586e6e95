namespace Agent.Actors.Io.Echo;

/// <summary>What one echo service holds at most, so a long-running listener stays bounded.</summary>
/// <param name="MaxConnections">
/// Connections alive at once. Defaults to 10,000 (about 100 MB of a node's memory); over it the listener stops
/// accepting, as at the descriptor limit, until one ends, and new clients wait in the backlog.
/// </param>
/// <param name="IdleTimeout">
/// Close a connection after this long without data either way. Null (the default) keeps idle connections forever,
/// as Python's socketserver does.
/// </param>
public sealed record EchoLimits(int MaxConnections = EchoLimits.DefaultMaxConnections, TimeSpan? IdleTimeout = null)
{
    /// <summary>The default most connections per service.</summary>
    public const int DefaultMaxConnections = 10_000;

    /// <summary>The defaults.</summary>
    public static EchoLimits Default { get; } = new();
}
