using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Agent.Actors.Checks;
using Agent.Messages;
using Agent.Messages.Checks;

namespace Agent.Actors.Tests.Checks;

public sealed class ProbeActorTests(ITestOutputHelper output) : ProbeTestBase(output)
{
    private static readonly ProbeOptions Quick = ProbeOptions.Default with { Timeout = TestTime.Seconds(2) };

    [Fact]
    public async Task Tcp_Listening_OkWithTheWinningAddressAndConnectTime()
    {
        var (_, _, local) = await BindAsync();
        var result = await ProbeAsync($"tcp:127.0.0.1:{local.Port}", Quick);
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Equal(local.ToString(), result.Address);
        Assert.True(result.LatencyMs > 0);
        Assert.Equal(1, result.Attempts);
        Assert.Null(result.Families);
    }

    [Fact]
    public async Task Tcp_ClosedPort_ConnectionRefusedError111()
    {
        var result = await ProbeAsync($"tcp:127.0.0.1:{ClosedPort()}", Quick);
        Assert.False(result.Ok);
        Assert.Null(result.LatencyMs);
        Assert.Equal(new PythonError("ConnectionRefusedError", 111, "Connection refused"), result.Error);
    }

    [Fact]
    public async Task Tcp_ClosedPortWithRetries_RunsEveryAttempt()
    {
        var result = await ProbeAsync($"tcp:127.0.0.1:{ClosedPort()}", Quick with { Retries = 2 });
        Assert.False(result.Ok);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(111, result.Error?.Errno);
    }

    [Fact]
    public async Task Tcp_OkWithRetries_RunsOneAttempt()
    {
        var (_, _, local) = await BindAsync();
        var result = await ProbeAsync($"tcp:127.0.0.1:{local.Port}", Quick with { Retries = 2 });
        Assert.True(result.Ok);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Tcp_Ip6OnIPv6Loopback_OkOverIPv6()
    {
        var (_, _, local) = await BindAsync(Endpoint.Parse("tcp:[::1]:0"));
        var result = await ProbeAsync($"tcp:[::1]:{local.Port}", Quick with { Family = FamilyMode.Ip6 });
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Equal($"tcp:[::1]:{local.Port}", result.Address);
    }

    [Fact]
    public async Task Tcp_Ip6ToAnIPv4Literal_GaierrorOfTheFamily()
    {
        var (_, _, local) = await BindAsync();
        var result = await ProbeAsync($"tcp:127.0.0.1:{local.Port}", Quick with { Family = FamilyMode.Ip6 });
        Assert.False(result.Ok);
        Assert.Equal(new PythonError("gaierror", -9, "Address family for hostname not supported"), result.Error);
    }

    [Fact]
    public async Task TcpEcho_BothOnDualStackLoopback_EachFamilyMeasuredInOneResult()
    {
        // One port on both loopbacks, and a name for both: 'localhost' has no IPv6 address on every machine, so the
        // IPv6 side is asked for by the name Linux gives ::1 in its own right only if present; the literal pair is certain.
        var v6 = await StartEchoAsync("tcp:[::1]:0");
        var v4 = await StartEchoAsync($"tcp:127.0.0.1:0");
        var four = await ProbeAsync($"tcp-echo:127.0.0.1:{v4.Port}", Quick with { Family = FamilyMode.Both });
        Assert.False(four.Ok);
        Assert.NotNull(four.Families);
        Assert.Equal([FamilyMode.Ip4, FamilyMode.Ip6], four.Families.Select(f => f.Family));
        Assert.True(four.Families[0].Ok);
        Assert.Equal(v4.ToString(), four.Families[0].Address);
        Assert.Equal("gaierror", four.Families[1].Error?.Kind);
        Assert.Equal(four.Families[1].Error, four.Error);

        var six = await ProbeAsync($"tcp-echo:[::1]:{v6.Port}", Quick with { Family = FamilyMode.Both });
        Assert.True(six.Families![1].Ok, six.Families[1].Error?.ToString());
        Assert.Equal(v6.ToString(), six.Families[1].Address);
        Assert.False(six.Families[0].Ok);
    }

    [Fact]
    public async Task Dns_BothFamiliesOfAnIPv6Literal_Ip6AnswersIp4IsGaierror()
    {
        var result = await ProbeAsync("dns:::1", Quick with { Family = FamilyMode.Both });
        Assert.Equal(["::1"], result.Families![1].Dns!.Addresses);
        Assert.Equal("gaierror", result.Families[0].Error?.Kind);
        Assert.False(result.Ok);
    }

    [Fact]
    public async Task TcpEcho_EchoService_EveryByteBack()
    {
        var local = await StartEchoAsync("tcp:127.0.0.1:0");
        var result = await ProbeAsync($"tcp-echo:127.0.0.1:{local.Port}", Quick with { PayloadSize = 100_000 / 2 });
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Equal(local.ToString(), result.Address);
        Assert.True(result.LatencyMs > 0);
    }

    [Fact]
    public async Task TcpEcho_PeerNeverEchoes_TimeoutErrorWithinTheBound()
    {
        var (_, _, local) = await BindAsync();
        var options = ProbeOptions.Default with { Timeout = TestTime.Seconds(0.5), Retries = 1 };
        var started = DateTime.UtcNow;
        var result = await ProbeAsync($"tcp-echo:127.0.0.1:{local.Port}", options);
        Assert.Equal(new PythonError("TimeoutError", null, "timed out"), result.Error);
        Assert.Equal(2, result.Attempts);
        Assert.True(DateTime.UtcNow - started < ProbeActor.AnswerBound(options) + TestTime.Seconds(1));
        // Its duration is both attempts' timeouts, whatever the outcome.
        Assert.InRange(result.DurationMs!.Value, 2 * options.Timeout.TotalMilliseconds, (DateTime.UtcNow - started).TotalMilliseconds);
    }

    [Fact]
    public async Task UnixEcho_EchoService_Ok()
    {
        using var dir = new TempDirectory();
        var local = await StartEchoAsync("unix:" + dir.File("echo.sock"));
        var result = await ProbeAsync($"unix-echo:{local.Path}", Quick);
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Equal(local.ToString(), result.Address);
    }

    [Fact]
    public async Task UnixEcho_MissingPath_FileNotFoundError2()
    {
        using var dir = new TempDirectory();
        var result = await ProbeAsync($"unix-echo:{dir.File("missing.sock")}", Quick);
        Assert.Equal(("FileNotFoundError", (int?)2), (result.Error?.Kind, result.Error?.Errno));
    }

    [Fact]
    public async Task UnixDgramEcho_EchoService_AllDatagramsBack()
    {
        using var dir = new TempDirectory();
        var local = await StartEchoAsync("unix-dgram:" + dir.File("echo.dgram"));
        var result = await ProbeAsync($"unix-dgram-echo:{local.Path}", Quick);
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Equal(new DatagramCounts(5, 5, 0, 0, 0, 0, 0), result.Datagrams);
    }

    [Fact]
    public async Task UnixDgramEcho_MissingPath_FileNotFoundError2()
    {
        using var dir = new TempDirectory();
        var result = await ProbeAsync($"unix-dgram-echo:{dir.File("missing.dgram")}", Quick);
        Assert.Equal(("FileNotFoundError", (int?)2), (result.Error?.Kind, result.Error?.Errno));
    }

    [Fact]
    public async Task UdpEcho_EchoService_AllDatagramsBackWithPayloadSize()
    {
        var local = await StartEchoAsync("udp:127.0.0.1:0");
        var result = await ProbeAsync($"udp-echo:127.0.0.1:{local.Port}", Quick with { PayloadSize = 1200, Family = FamilyMode.Ip4 });
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Equal(new DatagramCounts(5, 5, 0, 0, 0, 0, 0), result.Datagrams);
        Assert.Equal(local.ToString(), result.Address);
    }

    [Fact]
    public async Task UdpEcho_ClosedPort_ConnectionRefusedError()
    {
        var result = await ProbeAsync($"udp-echo:127.0.0.1:{ClosedPort()}", Quick);
        Assert.Equal(("ConnectionRefusedError", (int?)111), (result.Error?.Kind, result.Error?.Errno));
    }

    [Fact]
    public async Task UdpEcho_LossyPeer_CountsLostDuplicatedReorderedAndLateApart()
    {
        // The peer drops #1, echoes #0 twice, holds #2 until #3 is back (reordered), and echoes #4 only after the
        // probe's timeout but within its grace (late).
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)peer.LocalEndPoint!).Port;
        var timeout = TestTime.Seconds(1);
        var grace = ProbeAttempt.LateGrace(timeout);
        var options = ProbeOptions.Default with { Timeout = timeout, PayloadSize = 64 };
        using var stop = new CancellationTokenSource();
        var peerTask = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            byte[]? held = null;
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var started = DateTime.UtcNow;
            while (!stop.IsCancellationRequested)
            {
                var r = await peer.ReceiveFromAsync(buffer, from, stop.Token);
                var datagram = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
                var seq = BinaryPrimitives.ReadInt32BigEndian(datagram.AsSpan(4));
                switch (seq)
                {
                    case 0:
                        started = DateTime.UtcNow;
                        await peer.SendToAsync(datagram, r.RemoteEndPoint);
                        await peer.SendToAsync(datagram, r.RemoteEndPoint);
                        break;
                    case 1:
                        break;
                    case 2:
                        held = datagram;
                        break;
                    case 3:
                        await peer.SendToAsync(datagram, r.RemoteEndPoint);
                        await peer.SendToAsync(held!, r.RemoteEndPoint);
                        break;
                    default:
                        // A quarter into the grace: after the deadline for certain (the attempt started before #0 left), and
                        // late rather than lost unless #0 took most of the grace to arrive.
                        var wait = timeout + grace / 4 - (DateTime.UtcNow - started);
                        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, stop.Token);
                        await peer.SendToAsync(datagram, r.RemoteEndPoint);
                        break;
                }
            }
        });
        var result = await ProbeAsync($"udp-echo:127.0.0.1:{port}", options);
        await stop.CancelAsync();
        await Task.WhenAny(peerTask);
        Assert.False(result.Ok);
        Assert.Equal(new DatagramCounts(Sent: 5, Received: 3, Lost: 1, Duplicated: 1, Reordered: 1, Late: 1, Corrupted: 0), result.Datagrams);
        Assert.Equal("DatagramLoss", result.Error?.Kind);
        Assert.Null(result.LatencyMs);
    }

    [Fact]
    public async Task Dns_Localhost_AddressesAndLookupTime()
    {
        var result = await ProbeAsync("dns:localhost", Quick with { Timeout = TestTime.Seconds(10) });
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Contains("127.0.0.1", result.Dns!.Addresses);
        Assert.NotNull(result.LatencyMs);
        Assert.Null(result.Address);
    }

    [Fact]
    public async Task Dns_InvalidName_Gaierror()
    {
        // .invalid never resolves (RFC 6761); the machine's nameserver may be slow or fail temporarily (EAI_AGAIN, -3)
        // rather than say so, so the kind is certain and the errno one of the two.
        var result = await ProbeAsync("dns:no-such-host.invalid", Quick with { Timeout = TestTime.Seconds(15) });
        Assert.False(result.Ok);
        Assert.Equal("gaierror", result.Error?.Kind);
        Assert.Contains(result.Error?.Errno, new int?[] { -2, -3 });
    }

    [Fact]
    public async Task Probe_OptionsOutOfRange_ValueErrorNamingTheField()
    {
        var result = await ProbeAsync("tcp:127.0.0.1:9", ProbeOptions.Default with { Retries = 99 });
        Assert.Equal("ValueError", result.Error?.Kind);
        Assert.StartsWith("retries must be 0-10", result.Error?.Strerror, StringComparison.Ordinal);
        Assert.Equal(0, result.Attempts);
    }
}
