using System.Runtime.InteropServices;

namespace Agent.Actors.Resolution.Interop;

/// <summary>glibc <c>struct addrinfo</c> (note: ai_addr before ai_canonname, unlike the BSDs).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AddrInfoNative
{
    public int ai_flags;
    public int ai_family;
    public int ai_socktype;
    public int ai_protocol;
    public uint ai_addrlen;
    public byte* ai_addr;
    public byte* ai_canonname;
    public AddrInfoNative* ai_next;
}

/// <summary>glibc <c>struct hostent</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct HostEntNative
{
    public byte* h_name;
    public byte** h_aliases;
    public int h_addrtype;
    public int h_length;
    public byte** h_addr_list;
}

/// <summary>glibc <c>struct servent</c>; s_port is in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ServEntNative
{
    public byte* s_name;
    public byte** s_aliases;
    public int s_port;
    public byte* s_proto;
}

/// <summary>glibc <c>struct protoent</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ProtoEntNative
{
    public byte* p_name;
    public byte** p_aliases;
    public int p_proto;
}

/// <summary><c>struct if_nameindex</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IfNameIndexNative
{
    public uint if_index;
    public byte* if_name;
}
