using System.Text.Json;
using Agent.Messages;
using Agent.Messages.Io;
using Xunit;

namespace Agent.Messages.Tests.Io;

public sealed class IoJsonContextTests
{
    private static readonly SocketInfo Info =
        new("AF_INET", "SOCK_STREAM", 6, Endpoint.Parse("tcp:127.0.0.1:4000"), Endpoint.Parse("tcp:127.0.0.1:5000"));

    [Fact]
    public void CommandFailed_RoundTrips_WithTheCommandItWraps()
    {
        var failed = new SockStream.CommandFailed(
            new SockStream.Connect(Endpoint.Parse("tcp:127.0.0.1:1"), Timeout: TimeSpan.FromSeconds(2)),
            new PythonError("ConnectionRefusedError", 111, "Connection refused"));
        var json = JsonSerializer.Serialize(failed, IoJsonContext.Default.TcpCommandFailed);
        var back = JsonSerializer.Deserialize(json, IoJsonContext.Default.TcpCommandFailed)!;
        Assert.Equal(failed, back);
        Assert.Contains("\"remote\":\"tcp:127.0.0.1:1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"$cmd\":\"connect\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Payload_RoundTripsByteForByte()
    {
        var write = SockStream.Write.Copy("This is the message."u8, ack: 7);
        var json = JsonSerializer.Serialize(write, IoJsonContext.Default.TcpWrite);
        var back = JsonSerializer.Deserialize(json, IoJsonContext.Default.TcpWrite)!;
        Assert.Equal(write.Data.ToArray(), back.Data.ToArray());
        Assert.Equal(7, back.Ack);
    }

    [Fact]
    public void CloseEvents_RoundTripThroughTheirBase()
    {
        SockStream.ConnectionClosed[] events =
        [
            SockStream.Closed.Instance, SockStream.ConfirmedClosed.Instance, SockStream.Aborted.Instance, SockStream.PeerClosed.Instance,
            new SockStream.ErrorClosed(new PythonError("ConnectionResetError", 104, "Connection reset by peer")),
        ];
        foreach (var closed in events)
        {
            var json = JsonSerializer.Serialize(closed, IoJsonContext.Default.TcpConnectionClosed);
            Assert.Equal(closed, JsonSerializer.Deserialize(json, IoJsonContext.Default.TcpConnectionClosed));
        }
    }

    [Fact]
    public void UdpReceived_RoundTrips_WithSenderInTheGrammar()
    {
        var received = new SockDgram.Received(new byte[] { 1, 2, 3 }, Endpoint.Parse("udp:[::1]:9"));
        var json = JsonSerializer.Serialize(received, IoJsonContext.Default.UdpReceived);
        var back = JsonSerializer.Deserialize(json, IoJsonContext.Default.UdpReceived)!;
        Assert.Equal(received.Sender, back.Sender);
        Assert.Equal(new byte[] { 1, 2, 3 }, back.Data.ToArray());
        Assert.Contains("\"sender\":\"udp:[::1]:9\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Connected_RoundTrips_WithAttempts()
    {
        var connected = new SockStream.Connected(Info, [new SockStream.ConnectAttempt(Info.Peer!.Value, "connected", null, 0, 1.5)]);
        var json = JsonSerializer.Serialize(connected, IoJsonContext.Default.TcpConnected);
        var back = JsonSerializer.Deserialize(json, IoJsonContext.Default.TcpConnected)!;
        Assert.Equal(connected.Socket, back.Socket);
        Assert.Equal(connected.Attempts!.Single(), back.Attempts!.Single());
        Assert.Equal(Info.Peer, back.RemoteAddress);
    }
}
