using System.Net;
using System.Net.Sockets;

namespace Agent.TestSupport;

/// <summary>A plain socket for a test to play the peer with, outside the actors under test.</summary>
public static class TcpPeer
{
    /// <summary>A listening TCP socket on 127.0.0.1 at a port the kernel chose, given in <paramref name="port"/>.</summary>
    public static Socket Listen(out int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        return listener;
    }
}
