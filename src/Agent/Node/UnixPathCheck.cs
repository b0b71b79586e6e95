using Agent.Actors.Io;
using Agent.Messages;

namespace Agent.Node;

/// <summary>Start-up checks of Unix endpoints, so configuration errors stop the node before anything binds.</summary>
internal static class UnixPathCheck
{
    /// <summary>Null if <paramref name="endpoint"/> can be bound (nothing there, or a socket node), else the exit code and message.</summary>
    public static (int ExitCode, string Message)? Check(Endpoint endpoint)
    {
        if (!endpoint.IsUnix || endpoint.IsAbstract)
        {
            return null;
        }
        if (endpoint.Path.Length == 0)
        {
            return (Cli.ExitCodes.Usage, $"{endpoint}: a Unix endpoint needs a path");
        }
        if (UnixNode.CheckDirectory(endpoint.Path) is { } missing)
        {
            return (Cli.ExitCodes.Usage, $"{endpoint}: directory of '{endpoint.Path}' does not exist ({missing})");
        }
        var kind = UnixNode.Inspect(endpoint.Path, out var error);
        return kind switch
        {
            UnixNode.NodeKind.Missing or UnixNode.NodeKind.Socket => null,
            _ when error is not null => (Cli.ExitCodes.Failure, $"{endpoint}: {error}"),
            _ => (Cli.ExitCodes.Failure,
                $"{endpoint}: '{endpoint.Path}' exists and is not a socket ({kind}); refusing to remove it"),
        };
    }
}
