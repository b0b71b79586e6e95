using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;
using Agent.Actors.Resolution.Interop;

namespace Agent.Actors.Resolution;

/// <summary>
/// CPython's address conversion functions (inet_*, hton*/ntoh*, if_*, has_ipv6) through
/// the same libc calls, raising <see cref="PythonException"/> with Python 3.11+'s texts.
/// Integers are <see cref="BigInteger"/> so out-of-range inputs fail the way Python's do.
/// </summary>
public static unsafe class AddressFunctions
{
    /// <summary>Python's <c>socket.has_ipv6</c>: a build-time constant, true for CPython built with IPv6 on Linux.</summary>
    public static bool HasIPv6 => true;

    /// <summary><c>socket.inet_aton(ip_string)</c>: glibc inet_aton, so BSD forms (<c>127.1</c>, <c>0x7f.1</c>, octal) and trailing junk after whitespace behave the same.</summary>
    public static byte[] InetAton(string ip)
    {
        RefuseNul(ip);
        uint addr;
        if (Libc.InetAton(ip, &addr) == 0)
        {
            throw PythonErrors.Raise("OSError", "illegal IP address string passed to inet_aton");
        }
        return BitConverter.GetBytes(addr);
    }

    /// <summary><c>socket.inet_ntoa(packed_ip)</c>.</summary>
    public static string InetNtoa(ReadOnlySpan<byte> packed)
    {
        if (packed.Length != 4)
        {
            throw PythonErrors.Raise("OSError", "packed IP wrong length for inet_ntoa");
        }
        fixed (byte* p = packed)
        {
            return NativeLookups.Ntop(Libc.AF_INET, p);
        }
    }

    /// <summary><c>socket.inet_pton(address_family, ip_string)</c>.</summary>
    public static byte[] InetPton(int family, string ip)
    {
        RefuseNul(ip);
        var buf = new byte[16];
        int result;
        fixed (byte* p = buf)
        {
            result = Libc.InetPton(family, ip, p);
        }
        if (result < 0)
        {
            throw new PythonException(PythonErrors.Os(Marshal.GetLastPInvokeError()));
        }
        if (result == 0)
        {
            throw PythonErrors.Raise("OSError", "illegal IP address string passed to inet_pton");
        }
        return family switch
        {
            Libc.AF_INET => buf[..4],
            Libc.AF_INET6 => buf,
            _ => throw PythonErrors.Raise("OSError", "unknown address family"),
        };
    }

    /// <summary><c>socket.inet_ntop(address_family, packed_ip)</c>.</summary>
    public static string InetNtop(int family, ReadOnlySpan<byte> packed)
    {
        var expected = family switch
        {
            Libc.AF_INET => 4,
            Libc.AF_INET6 => 16,
            _ => throw PythonErrors.Raise("ValueError", $"unknown address family {family}"),
        };
        if (packed.Length != expected)
        {
            throw PythonErrors.Raise("ValueError", "invalid length of packed IP address string");
        }
        fixed (byte* p = packed)
        {
            return NativeLookups.Ntop(family, p);
        }
    }

    /// <summary><c>socket.htons(x)</c> (3.11+: OverflowError outside 0..65535).</summary>
    public static int Htons(BigInteger x) => Swap16("htons", x);

    /// <summary><c>socket.ntohs(x)</c>.</summary>
    public static int Ntohs(BigInteger x) => Swap16("ntohs", x);

    /// <summary><c>socket.htonl(x)</c>.</summary>
    public static long Htonl(BigInteger x) => Swap32(x);

    /// <summary><c>socket.ntohl(x)</c>.</summary>
    public static long Ntohl(BigInteger x) => Swap32(x);

    /// <summary><c>socket.if_nameindex()</c>: (index, name) pairs in libc's order.</summary>
    public static ImmutableArray<(uint Index, string Name)> IfNameIndex()
    {
        var list = Libc.IfNameIndex();
        if (list == null)
        {
            throw new PythonException(PythonErrors.Os(Marshal.GetLastPInvokeError()));
        }
        try
        {
            var builder = ImmutableArray.CreateBuilder<(uint, string)>();
            for (var p = list; p->if_index != 0; p++)
            {
                builder.Add((p->if_index, Libc.Utf8(p->if_name)!));
            }
            return builder.ToImmutable();
        }
        finally
        {
            Libc.IfFreeNameIndex(list);
        }
    }

    /// <summary><c>socket.if_nametoindex(if_name)</c>.</summary>
    public static uint IfNameToIndex(string name)
    {
        RefuseNul(name);
        var index = Libc.IfNameToIndex(name);
        return index != 0 ? index : throw PythonErrors.Raise("OSError", "no interface with this name");
    }

    /// <summary><c>socket.if_indextoname(if_index)</c>; like CPython, the unsigned long is truncated to libc's unsigned int.</summary>
    public static string IfIndexToName(BigInteger index)
    {
        var value = ToUnsignedLong(index);
        var buf = stackalloc byte[Libc.IFNAMSIZ];
        if (Libc.IfIndexToName(unchecked((uint)value), buf) == null)
        {
            throw new PythonException(PythonErrors.Os(Marshal.GetLastPInvokeError()));
        }
        return Libc.Utf8(buf)!;
    }

    private static int Swap16(string name, BigInteger x)
    {
        // The "i" argument conversion runs first: C long, then C int.
        if (x > long.MaxValue || x < long.MinValue)
        {
            throw PythonErrors.Raise("OverflowError", "Python int too large to convert to C long");
        }
        if (x > int.MaxValue)
        {
            throw PythonErrors.Raise("OverflowError", "signed integer is greater than maximum");
        }
        if (x < int.MinValue)
        {
            throw PythonErrors.Raise("OverflowError", "signed integer is less than minimum");
        }
        if (x < 0)
        {
            throw PythonErrors.Raise("OverflowError", $"{name}: can't convert negative Python int to C 16-bit unsigned integer");
        }
        if (x > 0xffff)
        {
            throw PythonErrors.Raise("OverflowError", $"{name}: Python int too large to convert to C 16-bit unsigned integer");
        }
        return BinaryPrimitives.ReverseEndianness((ushort)(int)x);
    }

    private static long Swap32(BigInteger x)
    {
        var value = ToUnsignedLong(x);
        if (value > uint.MaxValue)
        {
            throw PythonErrors.Raise("OverflowError", "int larger than 32 bits");
        }
        return BinaryPrimitives.ReverseEndianness((uint)value);
    }

    private static ulong ToUnsignedLong(BigInteger x)
    {
        if (x < 0)
        {
            throw PythonErrors.Raise("OverflowError", "can't convert negative value to unsigned int");
        }
        if (x > ulong.MaxValue)
        {
            throw PythonErrors.Raise("OverflowError", "Python int too large to convert to C unsigned long");
        }
        return (ulong)x;
    }

    private static void RefuseNul(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw PythonErrors.Raise("ValueError", "embedded null character");
        }
    }
}
