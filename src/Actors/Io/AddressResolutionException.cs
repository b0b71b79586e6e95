using Agent.Messages;

namespace Agent.Actors.Io;

/// <summary>An <see cref="IAddressResolver"/> could not resolve a host; <see cref="Error"/> is what Python raises (<c>gaierror</c>...).</summary>
public sealed class AddressResolutionException(PythonError error) : Exception(error.ToString())
{
    /// <summary>The error in Python's words.</summary>
    public PythonError Error { get; } = error;
}
