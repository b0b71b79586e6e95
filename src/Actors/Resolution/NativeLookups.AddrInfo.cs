using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Agent.Actors.Resolution.Interop;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

public static unsafe partial class NativeLookups
{
    /// <summary><c>socket.getaddrinfo(host, port, family, type, proto, flags)</c>: the host IDNA-encoded, the port as UTF-8.</summary>
    public static ImmutableArray<AddrInfo> GetAddrInfo(string? host, string? port, int family = 0, int type = 0, int proto = 0, int flags = 0)
    {
        if (host is not null)
        {
            host = HostNameEncoding.Encode(host);
        }
        var hints = new AddrInfoNative { ai_family = family, ai_socktype = type, ai_protocol = proto, ai_flags = flags };
        var error = Libc.GetAddrInfo(host, port, &hints, out var res);
        if (error != 0)
        {
            throw new PythonException(PythonErrors.Gai(error, Marshal.GetLastPInvokeError()));
        }
        try
        {
            var builder = ImmutableArray.CreateBuilder<AddrInfo>();
            for (var ai = res; ai != null; ai = ai->ai_next)
            {
                builder.Add(new AddrInfo(
                    ai->ai_family, ai->ai_socktype, ai->ai_protocol,
                    Libc.Utf8(ai->ai_canonname) ?? "",
                    MakeSockAddr(ai->ai_addr)));
            }
            return builder.ToImmutable();
        }
        finally
        {
            Libc.FreeAddrInfo(res);
        }
    }

    /// <summary>
    /// The getaddrinfo notes' host-address helper: AF_INET and AF_INET6 queried
    /// separately (SOCK_STREAM), merged without duplicates in <paramref name="order"/>.
    /// Fails only if both families fail, with the AF_INET query's error.
    /// </summary>
    public static ImmutableArray<string> GetHostAddresses(string host, AddressOrder order)
    {
        PythonException? v4Error = null;
        IEnumerable<string> v4 = [];
        IEnumerable<string> v6 = [];
        try
        {
            v4 = GetAddrInfo(host, null, Libc.AF_INET, Libc.SOCK_STREAM).Select(e => e.SockAddr.Host);
        }
        catch (PythonException e)
        {
            v4Error = e;
        }
        try
        {
            v6 = GetAddrInfo(host, null, Libc.AF_INET6, Libc.SOCK_STREAM).Select(e => e.SockAddr.Host);
        }
        catch (PythonException) when (v4Error is null)
        {
            // One family answering is enough: a v4-only host has no AAAA records.
        }
        catch (PythonException)
        {
            throw v4Error!;
        }
        var merged = order == AddressOrder.Ipv6First ? v6.Concat(v4) : v4.Concat(v6);
        return [.. merged.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>makesockaddr for AF_INET/AF_INET6, as Python 3.7+ builds it (inet_ntop text, no %scope).</summary>
    internal static SockAddr MakeSockAddr(byte* sa)
    {
        var family = *(ushort*)sa;
        var port = BinaryPrimitives.ReverseEndianness(*(ushort*)(sa + 2));
        return family switch
        {
            Libc.AF_INET => new SockAddr(Ntop(Libc.AF_INET, sa + 4), port),
            Libc.AF_INET6 => new SockAddr(
                Ntop(Libc.AF_INET6, sa + 8), port,
                BinaryPrimitives.ReverseEndianness(*(uint*)(sa + 4)),
                *(uint*)(sa + 24)),
            _ => throw PythonErrors.Raise("OSError", "unsupported address family"),
        };
    }

    internal static string Ntop(int family, byte* addr)
    {
        var buf = stackalloc byte[64];
        if (Libc.InetNtop(family, addr, buf, 64) == null)
        {
            throw new PythonException(PythonErrors.Os(Marshal.GetLastPInvokeError()));
        }
        return Libc.Utf8(buf)!;
    }
}
