using System.Net.Sockets;
using Agent.Messages;

namespace Agent.Actors.Io;

/// <summary>Turns OS failures into <see cref="PythonError"/>s worded exactly as CPython on Linux words them.</summary>
public static class OsErrors
{
    /// <summary>errno 2: no such file or directory.</summary>
    public const int ENOENT = 2;

    /// <summary>errno 4: a call was interrupted by a signal.</summary>
    public const int EINTR = 4;

    /// <summary>errno 9: bad file descriptor (the socket is closed).</summary>
    public const int EBADF = 9;

    /// <summary>errno 11: the call would block.</summary>
    public const int EAGAIN = 11;

    /// <summary>errno 13.</summary>
    public const int EACCES = 13;

    /// <summary>errno 17.</summary>
    public const int EEXIST = 17;

    /// <summary>errno 23: the system file table is full.</summary>
    public const int ENFILE = 23;

    /// <summary>errno 24: this process is out of descriptors.</summary>
    public const int EMFILE = 24;

    /// <summary>errno 32: broken pipe.</summary>
    public const int EPIPE = 32;

    /// <summary>errno 89: a send without a destination on an unconnected socket.</summary>
    public const int EDESTADDRREQ = 89;

    /// <summary>errno 90.</summary>
    public const int EMSGSIZE = 90;

    /// <summary>errno 98.</summary>
    public const int EADDRINUSE = 98;

    /// <summary>errno 99: what .NET reports for a Unix path that does not exist.</summary>
    public const int EADDRNOTAVAIL = 99;

    /// <summary>errno 103: the peer went away before accept() returned it.</summary>
    public const int ECONNABORTED = 103;

    /// <summary>errno 105: no buffer space (kernel memory for sockets).</summary>
    public const int ENOBUFS = 105;

    /// <summary>errno 111.</summary>
    public const int ECONNREFUSED = 111;

    /// <summary>errno 114: an operation is already in progress.</summary>
    public const int EALREADY = 114;

    /// <summary>Python's <c>socket.timeout</c> (an alias of TimeoutError since 3.10) as raised by a settimeout deadline.</summary>
    public static PythonError TimedOut { get; } = new("TimeoutError", null, "timed out");

    /// <summary>The error Python raises for <paramref name="errno"/>: <c>ConnectionRefusedError: [Errno 111] Connection refused</c>.</summary>
    public static PythonError FromErrno(int errno) =>
        ErrnoTable.ByNumber.TryGetValue(errno, out var entry)
            ? new PythonError(entry.Kind, errno, entry.Strerror)
            : new PythonError("OSError", errno, $"Unknown error {errno}");

    /// <summary>Like <see cref="FromErrno"/>, with the file name Python appends (<c>[Errno 2] No such file or directory: './x'</c>).</summary>
    public static PythonError FromErrno(int errno, string filename) =>
        FromErrno(errno) with { Strerror = $"{FromErrno(errno).Strerror}: '{filename}'" };

    /// <summary>
    /// The bound on a socket actor's queued bytes: EAGAIN when <paramref name="size"/> more would take the
    /// <paramref name="pending"/> bytes of its <paramref name="queue"/> queue over <paramref name="limit"/>, else null.
    /// An empty queue takes a command of any size, so one large write is never refused outright.
    /// </summary>
    public static PythonError? OverPendingLimit(string queue, long pending, int size, long limit) =>
        pending > 0 && pending + size > limit
            ? FromErrno(EAGAIN) with { Strerror = $"Resource temporarily unavailable ({queue} queue full: {pending} bytes pending, limit {limit})" }
            : null;

    /// <summary>True for the errno values that mean "out of descriptors or socket memory": retry later.</summary>
    public static bool IsResourceExhaustion(int? errno) => errno is EMFILE or ENFILE or ENOBUFS;

    /// <summary>
    /// True for a failure that waiting can heal: a port in use, descriptors or socket memory run out, a lookup that
    /// timed out or failed temporarily (EAI_AGAIN). False for one it cannot: an address the host does not have, a
    /// permission, a name that does not resolve, a file in the way.
    /// </summary>
    public static bool IsRetryable(PythonError error) =>
        error is { Kind: "gaierror", Errno: EaiAgain } or { Kind: "TimeoutError" }
        || (error.Kind != "gaierror" && (error.Errno is EADDRINUSE or EAGAIN || IsResourceExhaustion(error.Errno)));

    // getaddrinfo's EAI_AGAIN: a temporary failure in name resolution.
    private const int EaiAgain = -3;

    /// <summary>
    /// Like <see cref="FromException"/> for an AF_UNIX socket: .NET reports connect()'s ENOENT as
    /// SocketError.AddressNotAvailable, whose errno is EADDRNOTAVAIL (99); a Unix path has no other
    /// way to be unavailable, so it is Python's FileNotFoundError again.
    /// </summary>
    public static PythonError FromUnixException(Exception exception) =>
        FromException(exception) is { Errno: EADDRNOTAVAIL } ? FromErrno(ENOENT) : FromException(exception);

    /// <summary>Sorts every exception a socket call can throw into Python's words, in one place.</summary>
    public static PythonError FromException(Exception exception) => exception switch
    {
        // On Linux NativeErrorCode is the raw errno; SocketErrorCode is a Windows-shaped translation of it.
        SocketException e when e.SocketErrorCode == SocketError.TimedOut && e.NativeErrorCode == 0 => TimedOut,
        // .NET folds EMFILE and ENFILE into SocketError.TooManyOpenSockets and reports it as ENFILE (23);
        // a per-process limit is by far the likelier cause, and is what Python would report.
        SocketException { NativeErrorCode: ENFILE } => FromErrno(EMFILE),
        SocketException e => FromErrno(e.NativeErrorCode),
        OperationCanceledException or TimeoutException => TimedOut,
        UnauthorizedAccessException => FromErrno(EACCES),
        // Socket.*Async on a disposed socket: Python says "Bad file descriptor".
        ObjectDisposedException => FromErrno(EBADF),
        IOException { InnerException: SocketException inner } => FromException(inner),
        IOException e when e.HResult is > 0 and < 200 => FromErrno(e.HResult),
        _ => new PythonError("OSError", null, exception.Message),
    };
}
