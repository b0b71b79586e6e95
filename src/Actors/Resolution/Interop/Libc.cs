using System.Runtime.InteropServices;

namespace Agent.Actors.Resolution.Interop;

/// <summary>
/// The glibc entry points CPython's socketmodule.c calls for lookups and address
/// conversions. Linux/glibc only: the structs below use glibc's layout.
/// </summary>
internal static unsafe partial class Libc
{
    // "libc" alone resolves to the libc.so linker script on glibc, which dlopen refuses.
    private const string Lib = "libc.so.6";

    public const int AF_UNSPEC = 0;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int SOCK_STREAM = 1;
    public const int SOCK_DGRAM = 2;
    public const int AI_PASSIVE = 0x0001;
    public const int AI_NUMERICHOST = 0x0004;
    public const int AI_NUMERICSERV = 0x0400;
    public const int EAI_SYSTEM = -11;
    public const int EAFNOSUPPORT = 97;
    public const int IFNAMSIZ = 16;

    [LibraryImport(Lib, EntryPoint = "getaddrinfo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetAddrInfo(string? node, string? service, AddrInfoNative* hints, out AddrInfoNative* res);

    [LibraryImport(Lib, EntryPoint = "freeaddrinfo")]
    public static partial void FreeAddrInfo(AddrInfoNative* res);

    [LibraryImport(Lib, EntryPoint = "gai_strerror")]
    public static partial byte* GaiStrError(int code);

    [LibraryImport(Lib, EntryPoint = "getnameinfo")]
    public static partial int GetNameInfo(byte* sa, uint salen, byte* host, uint hostlen, byte* serv, uint servlen, int flags);

    [LibraryImport(Lib, EntryPoint = "gethostbyname_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetHostByNameR(string name, HostEntNative* ret, byte* buf, nuint buflen, out HostEntNative* result, out int herrno);

    [LibraryImport(Lib, EntryPoint = "gethostbyaddr_r")]
    public static partial int GetHostByAddrR(byte* addr, uint len, int type, HostEntNative* ret, byte* buf, nuint buflen, out HostEntNative* result, out int herrno);

    [LibraryImport(Lib, EntryPoint = "__h_errno_location")]
    public static partial int* HErrnoLocation();

    [LibraryImport(Lib, EntryPoint = "hstrerror")]
    public static partial byte* HStrError(int code);

    [LibraryImport(Lib, EntryPoint = "getservbyname_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetServByNameR(string name, string? proto, ServEntNative* ret, byte* buf, nuint buflen, out ServEntNative* result);

    [LibraryImport(Lib, EntryPoint = "getservbyport_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetServByPortR(int port, string? proto, ServEntNative* ret, byte* buf, nuint buflen, out ServEntNative* result);

    [LibraryImport(Lib, EntryPoint = "getprotobyname_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetProtoByNameR(string name, ProtoEntNative* ret, byte* buf, nuint buflen, out ProtoEntNative* result);

    [LibraryImport(Lib, EntryPoint = "gethostname", SetLastError = true)]
    public static partial int GetHostName(byte* name, nuint len);

    [LibraryImport(Lib, EntryPoint = "inet_pton", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InetPton(int af, string src, byte* dst);

    [LibraryImport(Lib, EntryPoint = "inet_ntop", SetLastError = true)]
    public static partial byte* InetNtop(int af, byte* src, byte* dst, uint size);

    [LibraryImport(Lib, EntryPoint = "inet_aton", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InetAton(string cp, uint* inp);

    [LibraryImport(Lib, EntryPoint = "if_nameindex", SetLastError = true)]
    public static partial IfNameIndexNative* IfNameIndex();

    [LibraryImport(Lib, EntryPoint = "if_freenameindex")]
    public static partial void IfFreeNameIndex(IfNameIndexNative* ptr);

    [LibraryImport(Lib, EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint IfNameToIndex(string name);

    [LibraryImport(Lib, EntryPoint = "if_indextoname", SetLastError = true)]
    public static partial byte* IfIndexToName(uint index, byte* name);

    [LibraryImport(Lib, EntryPoint = "strerror_r")]
    private static partial byte* StrErrorR(int errnum, byte* buf, nuint buflen);

    /// <summary>strerror(3) text for <paramref name="errno"/>, via the thread-safe GNU strerror_r.</summary>
    public static string StrError(int errno)
    {
        var buf = stackalloc byte[256];
        return Marshal.PtrToStringUTF8((nint)StrErrorR(errno, buf, 256)) ?? $"Unknown error {errno}";
    }

    /// <summary>Reads a NUL-terminated C string (null for a NULL pointer).</summary>
    public static string? Utf8(byte* p) => p == null ? null : Marshal.PtrToStringUTF8((nint)p);

    /// <summary>Reads a NULL-terminated array of C strings (empty for a NULL array).</summary>
    public static string[] StringArray(byte** list)
    {
        if (list == null)
        {
            return [];
        }
        var count = 0;
        while (list[count] != null)
        {
            count++;
        }
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Marshal.PtrToStringUTF8((nint)list[i])!;
        }
        return result;
    }
}
