using Agent.Messages;

namespace Agent.Actors.Io;

/// <summary>A host name in an endpoint did not resolve; <see cref="Error"/> is what Python raises (<c>gaierror</c>...).</summary>
public sealed class EndpointResolutionException(Endpoint endpoint, PythonError error)
    : Exception($"cannot resolve {endpoint}: {error}")
{
    /// <summary>The endpoint whose host failed.</summary>
    public Endpoint Endpoint { get; } = endpoint;

    /// <summary>The error in Python's words.</summary>
    public PythonError Error { get; } = error;
}
