using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Agent.Actors.Resolution.Interop;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

public static unsafe partial class NativeLookups
{
    // socketmodule.c's buffer for the *_r host calls; it does not retry on ERANGE, nor do we.
    private const int HostBufferSize = 16384;

    /// <summary><c>socket.gethostbyname(hostname)</c>: the IDNA-encoded name to setipaddr with AF_INET, as dotted quad text.</summary>
    public static string GetHostByName(string name)
    {
        var (family, addr) = SetIpAddr(HostNameEncoding.Encode(name), Libc.AF_INET);
        fixed (byte* p = addr)
        {
            return Ntop(family, p);
        }
    }

    /// <summary><c>socket.gethostbyname_ex(hostname)</c>: the IDNA-encoded name to setipaddr (AF_INET) first, then gethostbyname_r.</summary>
    public static HostEntry GetHostByNameEx(string name)
    {
        name = HostNameEncoding.Encode(name);
        var (family, _) = SetIpAddr(name, Libc.AF_INET);
        var buf = new byte[HostBufferSize];
        HostEntNative entry;
        HostEntNative* h;
        int hErrno;
        fixed (byte* b = buf)
        {
            Libc.GetHostByNameR(name, &entry, b, (nuint)buf.Length, out h, out _);
            // gethost_common reads the thread's h_errno, not the _r out-parameter.
            hErrno = *Libc.HErrnoLocation();
            return HostCommon(h, hErrno, family);
        }
    }

    /// <summary><c>socket.gethostbyaddr(ip_address)</c>: the IDNA-encoded name to setipaddr (AF_UNSPEC), then gethostbyaddr_r.</summary>
    public static HostEntry GetHostByAddr(string address)
    {
        var (family, addr) = SetIpAddr(HostNameEncoding.Encode(address), Libc.AF_UNSPEC);
        var buf = new byte[HostBufferSize];
        HostEntNative entry;
        fixed (byte* b = buf)
        fixed (byte* a = addr)
        {
            Libc.GetHostByAddrR(a, (uint)addr.Length, family, &entry, b, (nuint)buf.Length, out var h, out _);
            var hErrno = *Libc.HErrnoLocation();
            return HostCommon(h, hErrno, family);
        }
    }

    /// <summary>
    /// <c>socket.getfqdn(name)</c> as socket.py writes it: the first dotted name of gethostbyaddr, else
    /// its hostname; the name as given (stripped, not IDNA-encoded) when gethostbyaddr raises OSError.
    /// </summary>
    public static string GetFqdn(string name = "")
    {
        name = HostNameEncoding.StripPython(name);
        if (name.Length == 0 || name is "0.0.0.0" or "::")
        {
            name = GetHostName();
        }
        HostEntry entry;
        try
        {
            entry = GetHostByAddr(name);
        }
        catch (PythonException e) when (PythonErrors.IsOsError(e.Error.Kind))
        {
            return name;
        }
        return entry.Aliases.Insert(0, entry.HostName).FirstOrDefault(n => n.Contains('.', StringComparison.Ordinal))
            ?? entry.HostName;
    }

    /// <summary><c>socket.gethostname()</c>.</summary>
    public static string GetHostName()
    {
        var buf = stackalloc byte[1024];
        if (Libc.GetHostName(buf, 1023) < 0)
        {
            throw new PythonException(PythonErrors.Os(Marshal.GetLastPInvokeError()));
        }
        buf[1023] = 0;
        return Libc.Utf8(buf)!;
    }

    /// <summary>
    /// setipaddr(): '' is the AF_INET/AF_INET6 wildcard, '&lt;broadcast&gt;' and
    /// 255.255.255.255 are INADDR_BROADCAST, numeric addresses skip resolution (IPv6 only
    /// without a %scope), anything else is getaddrinfo(name, NULL, family=af)'s first entry.
    /// </summary>
    internal static (int Family, byte[] Address) SetIpAddr(string name, int af)
    {
        if (name.Length == 0)
        {
            return Wildcard(af);
        }
        if (name is "255.255.255.255" or "<broadcast>")
        {
            if (af != Libc.AF_INET && af != Libc.AF_UNSPEC)
            {
                throw PythonErrors.Raise("OSError", "address family mismatched");
            }
            return (Libc.AF_INET, [255, 255, 255, 255]);
        }
        if (af is Libc.AF_UNSPEC or Libc.AF_INET && TryPton(Libc.AF_INET, name) is { } v4)
        {
            return (Libc.AF_INET, v4);
        }
        if (af is Libc.AF_UNSPEC or Libc.AF_INET6 && !name.Contains('%', StringComparison.Ordinal)
            && TryPton(Libc.AF_INET6, name) is { } v6)
        {
            return (Libc.AF_INET6, v6);
        }
        var hints = new AddrInfoNative { ai_family = af };
        var error = Libc.GetAddrInfo(name, null, &hints, out var res);
        if (error != 0)
        {
            throw new PythonException(PythonErrors.Gai(error, Marshal.GetLastPInvokeError()));
        }
        try
        {
            return FirstAddress(res);
        }
        finally
        {
            Libc.FreeAddrInfo(res);
        }
    }

    private static (int, byte[]) Wildcard(int af)
    {
        var hints = new AddrInfoNative { ai_family = af, ai_socktype = Libc.SOCK_DGRAM, ai_flags = Libc.AI_PASSIVE };
        var error = Libc.GetAddrInfo(null, "0", &hints, out var res);
        if (error != 0)
        {
            throw new PythonException(PythonErrors.Gai(error, Marshal.GetLastPInvokeError()));
        }
        try
        {
            if (res->ai_family is not (Libc.AF_INET or Libc.AF_INET6))
            {
                throw PythonErrors.Raise("OSError", "unsupported address family");
            }
            if (res->ai_next != null)
            {
                throw PythonErrors.Raise("OSError", "wildcard resolved to multiple address");
            }
            return FirstAddress(res);
        }
        finally
        {
            Libc.FreeAddrInfo(res);
        }
    }

    private static (int, byte[]) FirstAddress(AddrInfoNative* res)
    {
        var sa = res->ai_addr;
        return *(ushort*)sa switch
        {
            Libc.AF_INET => (Libc.AF_INET, new ReadOnlySpan<byte>(sa + 4, 4).ToArray()),
            Libc.AF_INET6 => (Libc.AF_INET6, new ReadOnlySpan<byte>(sa + 8, 16).ToArray()),
            _ => throw PythonErrors.Raise("OSError", "unknown address family"),
        };
    }

    private static byte[]? TryPton(int family, string text)
    {
        var buf = new byte[family == Libc.AF_INET ? 4 : 16];
        fixed (byte* p = buf)
        {
            return Libc.InetPton(family, text, p) > 0 ? buf : null;
        }
    }

    /// <summary>gethost_common(): herror on NULL, EAFNOSUPPORT on a family mismatch, else the (name, aliases, addresses) triple.</summary>
    private static HostEntry HostCommon(HostEntNative* h, int hErrno, int family)
    {
        if (h == null)
        {
            throw new PythonException(PythonErrors.H(hErrno));
        }
        if (h->h_addrtype != family)
        {
            throw new PythonException(PythonErrors.Os(Libc.EAFNOSUPPORT));
        }
        var aliases = Libc.StringArray(h->h_aliases);
        var addresses = ImmutableArray.CreateBuilder<string>();
        for (var p = h->h_addr_list; *p != null; p++)
        {
            addresses.Add(family is Libc.AF_INET or Libc.AF_INET6
                ? Ntop(family, *p)
                : throw PythonErrors.Raise("OSError", "unsupported address family"));
        }
        return new HostEntry(Libc.Utf8(h->h_name) ?? "", [.. aliases], addresses.ToImmutable());
    }
}
