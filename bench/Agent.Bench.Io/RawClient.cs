using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Agent.Bench.Io;

/// <summary>
/// Loopback TCP clients as bare descriptors (libc socket/connect/send/recv), so the clients add no
/// managed objects and the heap delta is the server side alone.
/// </summary>
internal static partial class RawClient
{
    private const int AfInet = 2;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, echoes one byte, and returns the descriptor.</summary>
    public static int ConnectAndEcho(int port)
    {
        var fd = Socket(AfInet, SockStream | SockCloexec, 0);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        // struct sockaddr_in: family (host order), port (network order), 127.0.0.1, 8 bytes of zero.
        Span<byte> address = [AfInet, 0, (byte)(port >> 8), (byte)port, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        Span<byte> one = [42];
        if (Connect(fd, address, address.Length) != 0 || Send(fd, one, 1, 0) != 1 || Recv(fd, one, 1, 0) != 1)
        {
            var errno = Marshal.GetLastPInvokeError();
            Close(fd);
            throw new SocketException(errno);
        }
        return fd;
    }

    /// <summary>Closes a descriptor from <see cref="ConnectAndEcho"/>.</summary>
    public static void Release(int fd) => Close(fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int Connect(int fd, ReadOnlySpan<byte> address, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, ReadOnlySpan<byte> buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, Span<byte> buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
