using System.Net;
using System.Net.Sockets;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;
using Xunit;

namespace Agent.Actors.Tests.Io;

public sealed class SocketFactoryTests
{
    [Fact]
    public async Task Describe_BoundTcpListener_ReportsPythonNamesAndRealPort()
    {
        var endpoint = Endpoint.Parse("tcp:127.0.0.1:0");
        using var socket = SocketFactory.Create(endpoint, await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        SocketFactory.Apply(socket, null, listener: true);
        socket.Bind(await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        var info = SocketFactory.Describe(socket, connected: false);
        Assert.Equal(("AF_INET", "SOCK_STREAM", 6), (info.Family, info.Type, info.Proto));
        Assert.Equal(EndpointKind.Tcp, info.Local.Kind);
        Assert.NotEqual(0, info.Local.Port);
        Assert.Null(info.Peer);
    }

    [Fact]
    public async Task Describe_Ipv6Udp_UsesBracketsInTheGrammar()
    {
        var endpoint = Endpoint.Parse("udp:[::1]:0");
        using var socket = SocketFactory.Create(endpoint, await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        socket.Bind(await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        var info = SocketFactory.Describe(socket, connected: false);
        Assert.Equal(("AF_INET6", "SOCK_DGRAM", 17), (info.Family, info.Type, info.Proto));
        Assert.StartsWith("udp:[::1]:", info.Local.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_SpecialHosts_GiveAnyAndBroadcast()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Any, 5), await SocketFactory.ResolveAsync(Endpoint.Parse("tcp::5"), LiteralAddresses.Only));
        Assert.Equal(new IPEndPoint(IPAddress.Broadcast, 5), await SocketFactory.ResolveAsync(Endpoint.Parse("udp:<broadcast>:5"), LiteralAddresses.Only));
    }

    private sealed class Answers(Func<string, IReadOnlyList<IPAddress>> answer) : IAddressResolver
    {
        public List<string> Asked { get; } = [];

        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Asked.Add(host);
            return Task.FromResult(answer(host));
        }
    }

    [Fact]
    public async Task ResolveAsync_HostName_AsksTheResolverAndPrefersIpv4()
    {
        var resolver = new Answers(_ => [IPAddress.IPv6Loopback, IPAddress.Loopback]);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5), await SocketFactory.ResolveAsync(Endpoint.Parse("tcp:localhost:5"), resolver));
        var v6Only = new Answers(_ => [IPAddress.IPv6Loopback]);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 7), await SocketFactory.ResolveAsync(Endpoint.Parse("udp:ip6-localhost:7"), v6Only));
        Assert.Equal(["localhost"], resolver.Asked);
    }

    [Fact]
    public async Task ResolveAsync_ResolverFails_ThrowsItsPythonErrorForTheEndpoint()
    {
        var error = new PythonError("gaierror", -3, "Temporary failure in name resolution");
        var failing = new Answers(_ => throw new AddressResolutionException(error));
        var endpoint = Endpoint.Parse("tcp:down.example:80");
        var thrown = await Assert.ThrowsAsync<EndpointResolutionException>(async () => await SocketFactory.ResolveAsync(endpoint, failing));
        Assert.Equal(error, thrown.Error);
        Assert.Equal(endpoint, thrown.Endpoint);
        var empty = new Answers(_ => []);
        Assert.Equal(-2, (await Assert.ThrowsAsync<EndpointResolutionException>(async () => await SocketFactory.ResolveAsync(endpoint, empty))).Error.Errno);
    }

    [Fact]
    public async Task Describe_AbstractUnixSocket_KeepsTheAtName()
    {
        var name = "@agent-test-" + Guid.NewGuid().ToString("N")[..8];
        var endpoint = Endpoint.Unix(name);
        using var socket = SocketFactory.Create(endpoint, await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        socket.Bind(await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        var info = SocketFactory.Describe(socket, connected: false);
        Assert.Equal(("AF_UNIX", "SOCK_STREAM", 0), (info.Family, info.Type, info.Proto));
        Assert.Equal(endpoint, info.Local);
    }

    [Fact]
    public async Task Apply_Options_AreVisibleThroughGetsockopt()
    {
        var endpoint = Endpoint.Parse("tcp:127.0.0.1:0");
        using var socket = SocketFactory.Create(endpoint, await SocketFactory.ResolveAsync(endpoint, LiteralAddresses.Only));
        SocketFactory.Apply(socket, new SocketOptions(KeepAlive: true, NoDelay: true, ReuseAddress: true, LingerSeconds: 0), listener: false);
        Assert.True((int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)! != 0);
        Assert.True(socket.NoDelay);
        var reuse = new byte[4];
        socket.GetRawSocketOption(1, 2, reuse); // SOL_SOCKET, SO_REUSEADDR
        Assert.NotEqual(0, BitConverter.ToInt32(reuse));
        var reusePort = new byte[4];
        socket.GetRawSocketOption(1, 15, reusePort); // SO_REUSEPORT stays off unless asked for
        Assert.Equal(0, BitConverter.ToInt32(reusePort));
        Assert.Equal(0, socket.LingerState!.LingerTime);
    }

    [Fact]
    public void DatagramLimits_OverFamilyMaximum_IsMessageTooLong()
    {
        Assert.Null(DatagramLimits.Check(AddressFamily.InterNetwork, 0, SockDgram.MaxIPv4Payload));
        var error = DatagramLimits.Check(AddressFamily.InterNetwork, 0, SockDgram.MaxIPv4Payload + 1);
        Assert.Equal("OSError: [Errno 90] Message too long (65508 bytes; at most 65507 for AF_INET)", error?.ToString());
        Assert.Null(DatagramLimits.Check(AddressFamily.InterNetworkV6, 0, SockDgram.MaxIPv6Payload));
        Assert.NotNull(DatagramLimits.Check(AddressFamily.InterNetworkV6, 0, SockDgram.MaxIPv6Payload + 1));
    }

    [Fact]
    public void DatagramLimits_Ipv4Maximum_IsWhatTheKernelAccepts()
    {
        // Real sockets: 65,507 bytes go through loopback, 65,508 fail with EMSGSIZE, as the limit claims.
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.Equal(SockDgram.MaxIPv4Payload, sender.SendTo(new byte[SockDgram.MaxIPv4Payload], receiver.LocalEndPoint!));
        var e = Assert.Throws<SocketException>(() => sender.SendTo(new byte[SockDgram.MaxIPv4Payload + 1], receiver.LocalEndPoint!));
        Assert.Equal(OsErrors.EMSGSIZE, e.NativeErrorCode);
    }
}
