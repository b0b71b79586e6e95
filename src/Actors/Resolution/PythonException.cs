using Agent.Messages;

namespace Agent.Actors.Resolution;

/// <summary>
/// What a CPython <c>socket</c> function would raise, thrown by the pure address functions
/// and the native lookups. Actors turn it into a <c>ResolutionFailed</c> reply.
/// </summary>
public sealed class PythonException : Exception
{
    /// <summary>Wraps <paramref name="error"/>; the message is Python's printed form.</summary>
    public PythonException(PythonError error)
        : base(error.ToString())
    {
        Error = error;
    }

    /// <summary>The error in Python's terms.</summary>
    public PythonError Error { get; }
}
