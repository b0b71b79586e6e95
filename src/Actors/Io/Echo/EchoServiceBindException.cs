using Agent.Messages;

namespace Agent.Actors.Io.Echo;

/// <summary>An echo service could not bind; thrown so its backoff supervisor retries later.</summary>
public sealed class EchoServiceBindException(Endpoint endpoint, PythonError cause)
    : Exception($"echo {endpoint}: {cause}")
{
    /// <summary>The endpoint that failed.</summary>
    public Endpoint Endpoint { get; } = endpoint;

    /// <summary>Why, in Python's words.</summary>
    public PythonError Cause { get; } = cause;
}
