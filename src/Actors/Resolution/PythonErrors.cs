using Agent.Actors.Resolution.Interop;
using Agent.Messages;

namespace Agent.Actors.Resolution;

/// <summary>Builds errors exactly as socketmodule.c's set_gaierror, set_herror and set_error do.</summary>
internal static class PythonErrors
{
    /// <summary>set_gaierror: EAI_SYSTEM becomes the OSError of <paramref name="errno"/>, anything else <c>gaierror(code, gai_strerror(code))</c>.</summary>
    public static unsafe PythonError Gai(int code, int errno) =>
        code == Libc.EAI_SYSTEM ? Os(errno) : new PythonError("gaierror", code, Libc.Utf8(Libc.GaiStrError(code)) ?? "");

    /// <summary>set_herror: <c>herror(h_errno, hstrerror(h_errno))</c>.</summary>
    public static unsafe PythonError H(int herrno) => new("herror", herrno, Libc.Utf8(Libc.HStrError(herrno)) ?? "");

    /// <summary>PyErr_SetFromErrno(OSError): the PEP 3151 subclass for the errno, with strerror's text.</summary>
    public static PythonError Os(int errno) => new(OsErrorKind(errno), errno, Libc.StrError(errno));

    /// <summary>An error Python raises with a message and no errno.</summary>
    public static PythonError Plain(string kind, string message) => new(kind, null, message);

    /// <summary>Throws <see cref="PythonException"/> for <see cref="Plain"/>.</summary>
    public static PythonException Raise(string kind, string message) => new(Plain(kind, message));

    /// <summary>True for OSError and its subclasses (what <c>except OSError</c>, i.e. <c>socket.error</c>, catches).</summary>
    public static bool IsOsError(string kind) => kind is "OSError" or "gaierror" or "herror"
        or "BlockingIOError" or "ChildProcessError" or "BrokenPipeError" or "ConnectionAbortedError"
        or "ConnectionRefusedError" or "ConnectionResetError" or "FileExistsError" or "FileNotFoundError"
        or "InterruptedError" or "IsADirectoryError" or "NotADirectoryError" or "PermissionError"
        or "ProcessLookupError" or "TimeoutError";

    private static string OsErrorKind(int errno) => errno switch
    {
        11 or 114 or 115 => "BlockingIOError",
        10 => "ChildProcessError",
        32 or 108 => "BrokenPipeError",
        103 => "ConnectionAbortedError",
        111 => "ConnectionRefusedError",
        104 => "ConnectionResetError",
        17 => "FileExistsError",
        2 => "FileNotFoundError",
        4 => "InterruptedError",
        21 => "IsADirectoryError",
        20 => "NotADirectoryError",
        1 or 13 => "PermissionError",
        3 => "ProcessLookupError",
        110 => "TimeoutError",
        _ => "OSError",
    };
}
