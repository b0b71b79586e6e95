using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Agent.Actors.Resolution.Interop;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

public static unsafe partial class NativeLookups
{
    private const int EntBufferSize = 4096;
    private const int NiMaxHost = 1025;
    private const int NiMaxServ = 32;

    /// <summary>
    /// <c>socket.getnameinfo((host, port[, flowinfo, scope_id]), flags)</c>: the host must be
    /// numeric (getaddrinfo with AI_NUMERICHOST, SOCK_DGRAM), then getnameinfo(flags).
    /// </summary>
    public static NameInfo GetNameInfo(string host, int port, int flags, uint? flowInfo = null, uint? scopeId = null)
    {
        if (flowInfo > 0xfffff)
        {
            throw PythonErrors.Raise("OverflowError", "getnameinfo(): flowinfo must be 0-1048575.");
        }
        var hints = new AddrInfoNative { ai_family = Libc.AF_UNSPEC, ai_socktype = Libc.SOCK_DGRAM, ai_flags = Libc.AI_NUMERICHOST };
        var error = Libc.GetAddrInfo(host, port.ToString(System.Globalization.CultureInfo.InvariantCulture), &hints, out var res);
        if (error != 0)
        {
            throw new PythonException(PythonErrors.Gai(error, Marshal.GetLastPInvokeError()));
        }
        try
        {
            if (res->ai_next != null)
            {
                throw PythonErrors.Raise("OSError", "sockaddr resolved to multiple addresses");
            }
            var sa = res->ai_addr;
            if (res->ai_family == Libc.AF_INET && flowInfo is not null)
            {
                throw PythonErrors.Raise("OSError", "IPv4 sockaddr must be 2 tuple");
            }
            if (res->ai_family == Libc.AF_INET6)
            {
                *(uint*)(sa + 4) = BinaryPrimitives.ReverseEndianness(flowInfo ?? 0);
                *(uint*)(sa + 24) = scopeId ?? 0;
            }
            var hbuf = stackalloc byte[NiMaxHost];
            var sbuf = stackalloc byte[NiMaxServ];
            error = Libc.GetNameInfo(sa, res->ai_addrlen, hbuf, NiMaxHost, sbuf, NiMaxServ, flags);
            if (error != 0)
            {
                throw new PythonException(PythonErrors.Gai(error, Marshal.GetLastPInvokeError()));
            }
            return new NameInfo(Libc.Utf8(hbuf)!, Libc.Utf8(sbuf)!);
        }
        finally
        {
            Libc.FreeAddrInfo(res);
        }
    }

    /// <summary><c>socket.getservbyname(servicename[, protocolname])</c>.</summary>
    public static int GetServByName(string name, string? proto = null)
    {
        var buf = stackalloc byte[EntBufferSize];
        ServEntNative entry;
        Libc.GetServByNameR(name, proto, &entry, buf, EntBufferSize, out var sp);
        if (sp == null)
        {
            throw PythonErrors.Raise("OSError", "service/proto not found");
        }
        return BinaryPrimitives.ReverseEndianness((ushort)sp->s_port);
    }

    /// <summary><c>socket.getservbyport(port[, protocolname])</c>.</summary>
    public static string GetServByPort(int port, string? proto = null)
    {
        if (port is < 0 or > 0xffff)
        {
            throw PythonErrors.Raise("OverflowError", "getservbyport: port must be 0-65535.");
        }
        var buf = stackalloc byte[EntBufferSize];
        ServEntNative entry;
        Libc.GetServByPortR(BinaryPrimitives.ReverseEndianness((ushort)port), proto, &entry, buf, EntBufferSize, out var sp);
        if (sp == null)
        {
            throw PythonErrors.Raise("OSError", "port/proto not found");
        }
        return Libc.Utf8(sp->s_name)!;
    }

    /// <summary><c>socket.getprotobyname(protocolname)</c>.</summary>
    public static int GetProtoByName(string name)
    {
        var buf = stackalloc byte[EntBufferSize];
        ProtoEntNative entry;
        Libc.GetProtoByNameR(name, &entry, buf, EntBufferSize, out var pp);
        if (pp == null)
        {
            throw PythonErrors.Raise("OSError", "protocol not found");
        }
        return pp->p_proto;
    }
}
