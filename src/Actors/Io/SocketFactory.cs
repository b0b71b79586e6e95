using System.Net;
using System.Net.Sockets;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Io;

/// <summary>Creates sockets for endpoints, applies <see cref="SocketOptions"/>, and names addresses in the endpoint grammar.</summary>
public static class SocketFactory
{
    /// <summary>
    /// The OS address for <paramref name="endpoint"/>: literals as written, <c>""</c> as INADDR_ANY,
    /// <c>&lt;broadcast&gt;</c> as INADDR_BROADCAST, and names through <paramref name="resolver"/>, IPv4
    /// first as Python's AF_INET sockets in the seeds do. Completes synchronously unless a name has to
    /// be looked up; a failed lookup throws <see cref="EndpointResolutionException"/>.
    /// </summary>
    public static async ValueTask<EndPoint> ResolveAsync(Endpoint endpoint, IAddressResolver resolver, CancellationToken cancellationToken = default)
    {
        if (endpoint.IsUnix)
        {
            return ToUnixEndPoint(endpoint.Path);
        }
        if (endpoint.IsAnyHost)
        {
            return new IPEndPoint(IPAddress.Any, endpoint.Port);
        }
        if (endpoint.IsBroadcast)
        {
            return new IPEndPoint(IPAddress.Broadcast, endpoint.Port);
        }
        if (IPAddress.TryParse(endpoint.Host, out var literal))
        {
            return new IPEndPoint(literal, endpoint.Port);
        }
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await resolver.ResolveAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        }
        catch (AddressResolutionException e)
        {
            throw new EndpointResolutionException(endpoint, e.Error);
        }
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new EndpointResolutionException(endpoint, new PythonError("gaierror", -2, "Name or service not known"));
        return new IPEndPoint(chosen, endpoint.Port);
    }

    /// <summary>A socket of the family and type <paramref name="endpoint"/> needs, for the resolved <paramref name="address"/>.</summary>
    public static Socket Create(Endpoint endpoint, EndPoint address)
    {
        var type = endpoint.IsStream ? SocketType.Stream : SocketType.Dgram;
        return endpoint.IsUnix
            ? new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified)
            : new Socket(address.AddressFamily, type, endpoint.IsStream ? ProtocolType.Tcp : ProtocolType.Udp);
    }

    /// <summary>Applies every non-null option; options that do not fit the socket's family or type are skipped.</summary>
    public static void Apply(Socket socket, SocketOptions? options, bool listener)
    {
        options ??= SocketOptions.Default;
        var inet = socket.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
        if (inet && (options.ReuseAddress ?? listener))
        {
            // SocketOptionName.ReuseAddress also sets SO_REUSEPORT on Linux, letting two listeners share a
            // port silently; set SO_REUSEADDR (2) alone, as Python does.
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
        }
        if (inet && options.ReusePort is { } reusePort)
        {
            // SO_REUSEPORT (15) has no SocketOptionName on Linux.
            socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(reusePort ? 1 : 0));
        }
        if (options.Broadcast is { } broadcast && socket.SocketType == SocketType.Dgram && inet)
        {
            socket.EnableBroadcast = broadcast;
        }
        if (options.KeepAlive is { } keepAlive && socket.SocketType == SocketType.Stream && inet)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, keepAlive);
        }
        if (inet && socket.SocketType == SocketType.Stream && !listener)
        {
            socket.NoDelay = options.NoDelay ?? true;
        }
        if (options.ReceiveBufferSize is { } receiveBuffer)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }
        if (options.SendBufferSize is { } sendBuffer)
        {
            socket.SendBufferSize = sendBuffer;
        }
        if (options.IPv6Only is { } v6Only && socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = !v6Only;
        }
        if (options.LingerSeconds is { } linger && socket.SocketType == SocketType.Stream)
        {
            socket.LingerState = new LingerOption(true, linger);
        }
    }

    /// <summary><c>AF_INET</c>, <c>AF_INET6</c> or <c>AF_UNIX</c>, as Python prints <c>sock.family</c>.</summary>
    public static string FamilyName(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => "AF_INET",
        AddressFamily.InterNetworkV6 => "AF_INET6",
        AddressFamily.Unix => "AF_UNIX",
        _ => $"AF_{family.ToString().ToUpperInvariant()}",
    };

    /// <summary>What Python would report for <paramref name="socket"/>: family, type, proto, getsockname(), getpeername().</summary>
    public static SocketInfo Describe(Socket socket, bool connected)
    {
        var stream = socket.SocketType == SocketType.Stream;
        var unix = socket.AddressFamily == AddressFamily.Unix;
        var kind = (unix, stream) switch
        {
            (true, true) => EndpointKind.Unix,
            (true, false) => EndpointKind.UnixDgram,
            (false, true) => EndpointKind.Tcp,
            (false, false) => EndpointKind.Udp,
        };
        var proto = unix ? 0 : stream ? (int)ProtocolType.Tcp : (int)ProtocolType.Udp;
        Endpoint? peer = null;
        if (connected)
        {
            try
            {
                peer = ToEndpoint(kind, socket.RemoteEndPoint);
            }
            catch (SocketException)
            {
                // getpeername() fails with ENOTCONN once the peer has gone; report no peer.
            }
        }
        return new SocketInfo(
            FamilyName(socket.AddressFamily), stream ? "SOCK_STREAM" : "SOCK_DGRAM", proto,
            ToEndpoint(kind, socket.LocalEndPoint), peer);
    }

    /// <summary>An OS address in the endpoint grammar; a null or unnamed Unix address becomes <c>unix:</c>.</summary>
    public static Endpoint ToEndpoint(EndpointKind kind, EndPoint? address)
    {
        var scheme = Endpoint.SchemeOf(kind);
        return address switch
        {
            IPEndPoint ip => Endpoint.Parse(
                ip.Address.AddressFamily == AddressFamily.InterNetworkV6
                    ? $"{scheme}:[{ip.Address}]:{ip.Port}"
                    : $"{scheme}:{ip.Address}:{ip.Port}"),
            UnixDomainSocketEndPoint unix => Endpoint.OfUnixAddress(kind, UnixPath(unix)),
            _ => Endpoint.Parse($"{scheme}:"),
        };
    }

    /// <summary>
    /// The address a listening or datagram socket binds to. A Unix path is wrapped so .NET does not know it as a
    /// <see cref="UnixDomainSocketEndPoint"/>: .NET deletes such a socket's path when the socket is disposed,
    /// whatever the path holds by then (a file put there since, another server's live socket). The owner removes
    /// the node itself, only if it is still the one it created (<see cref="UnixNode.RemoveIfOurs"/>).
    /// </summary>
    public static EndPoint ForBind(EndPoint address) => address is UnixDomainSocketEndPoint unix ? new UnownedUnixEndPoint(unix) : address;

    /// <summary>The OS address of a Unix path; <c>@name</c> is the abstract namespace (a leading NUL).</summary>
    public static UnixDomainSocketEndPoint ToUnixEndPoint(string path) =>
        new(path.StartsWith('@') ? "\0" + path[1..] : path);

    // The same sockaddr_un as the endpoint it wraps; getsockname() still reads back as a UnixDomainSocketEndPoint.
    private sealed class UnownedUnixEndPoint(UnixDomainSocketEndPoint address) : EndPoint
    {
        public override AddressFamily AddressFamily => AddressFamily.Unix;

        public override SocketAddress Serialize() => address.Serialize();

        public override EndPoint Create(SocketAddress socketAddress) => address.Create(socketAddress);

        public override string ToString() => address.ToString();
    }

    private static string UnixPath(UnixDomainSocketEndPoint endPoint)
    {
        var text = endPoint.ToString();
        return text.Length > 0 && text[0] == '\0' ? "@" + text[1..] : text;
    }
}
