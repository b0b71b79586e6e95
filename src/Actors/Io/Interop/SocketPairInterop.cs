using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Agent.Actors.Io.Interop;

/// <summary><c>socketpair(2)</c>, which .NET does not expose: two connected AF_UNIX sockets.</summary>
internal static partial class SocketPairInterop
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;

    /// <summary>Two connected sockets, or the errno as a <see cref="SocketException"/>.</summary>
    public static (Socket First, Socket Second) Create(bool datagram)
    {
        Span<int> fds = stackalloc int[2];
        if (SocketPair(AfUnix, (datagram ? SockDgram : SockStream) | SockCloexec, 0, fds) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return (Wrap(fds[0]), Wrap(fds[1]));
    }

    private static Socket Wrap(int fd) => new(new SafeSocketHandle(fd, ownsHandle: true));

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static partial int SocketPair(int domain, int type, int protocol, Span<int> fds);
}
