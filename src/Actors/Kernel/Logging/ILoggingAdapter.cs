namespace Agent.Actors.Kernel;

/// <summary>
/// The actor logger (Akka's <c>ILoggingAdapter</c> shape): message templates with
/// structured arguments; every event carries the actor path and system name.
/// </summary>
public interface ILoggingAdapter
{
    /// <summary>True when debug events are written.</summary>
    bool IsDebugEnabled { get; }

    /// <summary>Logs at debug level.</summary>
    void Debug(string template, params object?[] args);

    /// <summary>Logs at information level.</summary>
    void Info(string template, params object?[] args);

    /// <summary>Logs at warning level.</summary>
    void Warning(string template, params object?[] args);

    /// <summary>Logs at warning level with an exception.</summary>
    void Warning(Exception cause, string template, params object?[] args);

    /// <summary>Logs at error level.</summary>
    void Error(string template, params object?[] args);

    /// <summary>Logs at error level with an exception.</summary>
    void Error(Exception cause, string template, params object?[] args);
}
