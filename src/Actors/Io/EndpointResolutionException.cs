using System.Net.Sockets;
using Agent.Messages;

namespace Agent.Actors.Io;

/// <summary>A host name in an endpoint did not resolve; <see cref="Error"/> is Python's <c>gaierror</c>.</summary>
public sealed class EndpointResolutionException(Endpoint endpoint, SocketException inner)
    : Exception($"cannot resolve {endpoint}: {inner.Message}", inner)
{
    /// <summary>The endpoint whose host failed.</summary>
    public Endpoint Endpoint { get; } = endpoint;

    /// <summary>glibc's EAI code as Python reports it (EAI_NONAME -2 unless the OS said otherwise).</summary>
    public PythonError Error { get; } = inner.SocketErrorCode switch
    {
        SocketError.TryAgain => new PythonError("gaierror", -3, "Temporary failure in name resolution"),
        _ => new PythonError("gaierror", -2, "Name or service not known"),
    };
}
