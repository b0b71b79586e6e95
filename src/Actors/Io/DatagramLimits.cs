using System.Net.Sockets;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Io;

/// <summary>Checks a datagram against its family's limit before any syscall, with Python's EMSGSIZE wording.</summary>
public static class DatagramLimits
{
    /// <summary>The largest payload a datagram socket of <paramref name="family"/> can send; for AF_UNIX the socket's SO_SNDBUF bound.</summary>
    public static int MaxPayload(AddressFamily family, int unixSendBuffer) => family switch
    {
        AddressFamily.InterNetwork => SockDgram.MaxIPv4Payload,
        AddressFamily.InterNetworkV6 => SockDgram.MaxIPv6Payload,
        // The kernel refuses a unix datagram larger than sk_sndbuf minus its overhead (32 bytes here).
        _ => Math.Max(0, unixSendBuffer - 32),
    };

    /// <summary>Null when <paramref name="length"/> fits, else <c>OSError: [Errno 90] Message too long</c> with the limit.</summary>
    public static PythonError? Check(AddressFamily family, int unixSendBuffer, int length)
    {
        var max = MaxPayload(family, unixSendBuffer);
        return length <= max
            ? null
            : OsErrors.FromErrno(OsErrors.EMSGSIZE) with
            {
                Strerror = $"Message too long ({length} bytes; at most {max} for {SocketFactory.FamilyName(family)})",
            };
    }
}
