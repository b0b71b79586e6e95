namespace Agent.Actors.Resolution;

/// <summary>A lookup threw something other than a Python-level error; it crashes its request actor.</summary>
public sealed class ResolutionCrashedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ResolutionCrashedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ResolutionCrashedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the lookup's exception.</summary>
    public ResolutionCrashedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
