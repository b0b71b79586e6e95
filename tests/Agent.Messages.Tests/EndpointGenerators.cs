using Agent.Messages;
using FsCheck;
using FsCheck.Fluent;

namespace Agent.Messages.Tests;

/// <summary>Valid endpoints of every shape the grammar allows.</summary>
public static class EndpointGenerators
{
    private static readonly Gen<string> Label =
        from length in Gen.Choose(1, 12)
        from chars in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray()).ArrayOf(length)
        select new string(chars);

    private static readonly Gen<string> HostName =
        from labels in Label.ArrayOf().Where(a => a.Length is > 0 and < 5)
        select string.Join('.', labels);

    private static readonly Gen<string> IPv4 =
        from bytes in Gen.Choose(0, 255).ArrayOf(4)
        select string.Join('.', bytes);

    private static readonly Gen<string> IPv6 =
        from groups in Gen.Choose(0, 0xffff).ArrayOf(8)
        from scope in Gen.Elements("", "%eth0", "%lo", "%2")
        select new System.Net.IPAddress(groups.SelectMany(g => new[] { (byte)(g >> 8), (byte)g }).ToArray()) + scope;

    private static readonly Gen<Endpoint> Inet =
        from kind in Gen.Elements(EndpointKind.Tcp, EndpointKind.Udp)
        from host in Gen.OneOf(HostName, IPv4, IPv6, Gen.Constant(""), Gen.Constant("localhost"))
        from port in Gen.Choose(0, 65535)
        select kind == EndpointKind.Tcp ? Endpoint.Tcp(host, port) : Endpoint.Udp(host, port);

    private static readonly Gen<Endpoint> Broadcast =
        from port in Gen.Choose(0, 65535)
        select Endpoint.Udp(Endpoint.BroadcastHost, port);

    private static readonly Gen<Endpoint> Unix =
        from dgram in Gen.Elements(false, true)
        from prefix in Gen.Elements("", "./", "/tmp/", "@", "../a b/")
        from labels in Label.ArrayOf().Where(a => a.Length is > 0 and < 4)
        let path = prefix + string.Join('/', labels)
        select dgram ? Endpoint.UnixDgram(path) : Endpoint.Unix(path);

    /// <summary>Any valid endpoint.</summary>
    public static Arbitrary<Endpoint> Endpoints() => Gen.OneOf(Inet, Broadcast, Unix).ToArbitrary();
}
