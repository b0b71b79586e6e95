namespace Agent.Messages;

/// <summary>
/// A failure in the words CPython's <c>socket</c> module uses: the exception class
/// (<c>gaierror</c>, <c>herror</c>, <c>OSError</c> or one of its subclasses such as
/// <c>ConnectionRefusedError</c>, <c>ValueError</c>, <c>OverflowError</c>), the errno
/// where Python has one, and the message text.
/// </summary>
/// <param name="Kind">Python's exception class name.</param>
/// <param name="Errno">The errno (negative EAI codes for <c>gaierror</c>), or null where Python has none.</param>
/// <param name="Strerror">The message, e.g. <c>Name or service not known</c>.</param>
public sealed record PythonError(string Kind, int? Errno, string Strerror)
{
    /// <summary>Formats the error the way Python prints it: <c>gaierror: [Errno -2] Name or service not known</c>.</summary>
    public override string ToString() =>
        Errno is { } errno ? $"{Kind}: [Errno {errno}] {Strerror}" : $"{Kind}: {Strerror}";
}
