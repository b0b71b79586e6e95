using System.Net.Sockets;
using System.Text;
using Agent.Messages;
using Agent.Messages.Checks;

namespace Agent.Actors.Tests.Checks;

/// <summary>tcp probes with a query script against a real loopback peer playing its side of the conversation.</summary>
public sealed class QueryResponseProbeTests(ITestOutputHelper output) : ProbeTestBase(output)
{
    private static readonly QueryResponse Smtp = new([
        QueryStep.Expect("^220 "),
        QueryStep.Send("EHLO probe.example\r\n"),
        QueryStep.Expect("^250 "),
        QueryStep.Send("QUIT\r\n"),
        QueryStep.Expect("^221 "),
    ]);

    private static ProbeOptions Scripted(QueryResponse script, double timeoutSeconds = 2) =>
        ProbeOptions.Default with { Timeout = TestTime.Seconds(timeoutSeconds), QueryResponse = script };

    /// <summary>
    /// A listener on 127.0.0.1 whose first connection is served by <paramref name="serve"/>; the task ends when it has,
    /// or when a socket error (the probe resetting the connection when it is done) or cancellation cut it short.
    /// </summary>
    private static (int Port, Task Served) Peer(Func<Socket, Task> serve)
    {
        var listener = TcpPeer.Listen(out var port);
        var served = Task.Run(async () =>
        {
            using (listener)
            {
                using var socket = await listener.AcceptAsync();
                try
                {
                    await serve(socket);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // The probe finished (and reset the connection), or the test is over, before the peer was done.
                }
            }
        });
        return (port, served);
    }

    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(one) == 1)
        {
            line.Append((char)one[0]);
        }
        return line.ToString();
    }

    private static Task SendAsync(Socket socket, string text) => socket.SendAsync(Encoding.Latin1.GetBytes(text));

    [Fact]
    public async Task Query_SmtpLikeExchange_OkAtTheLastStepWithTheWinner()
    {
        var heard = new List<string>();
        var (port, served) = Peer(async socket =>
        {
            // The banner in two writes, and a multi-line reply: an expect waits for its match across reads.
            await SendAsync(socket, "220 mail.exa");
            await SendAsync(socket, "mple ESMTP\r\n");
            heard.Add(await ReadLineAsync(socket));
            await SendAsync(socket, "250-mail.example\r\n250-SIZE 1000\r\n250 HELP\r\n");
            heard.Add(await ReadLineAsync(socket));
            await SendAsync(socket, "221 Bye\r\n");
        });
        var result = await ProbeAsync($"tcp:127.0.0.1:{port}", Scripted(Smtp));
        await served.WaitAsync(TestTime.Seconds(5));
        Assert.True(result.Ok, result.Error?.ToString());
        Assert.Equal($"tcp:127.0.0.1:{port}", result.Address);
        Assert.True(result.LatencyMs > 0);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(["EHLO probe.example\r\n", "QUIT\r\n"], heard);
    }

    [Fact]
    public async Task Query_MatchConsumesThroughItsEnd_NextExpectSeesOnlyTheRest()
    {
        // Bytes read as Latin-1: \xff and \x00 match single bytes. \A anchors at the first byte not yet consumed.
        var script = new QueryResponse([QueryStep.Expect("A\\xff"), QueryStep.Expect("\\A\\x00B$")]);
        var (port, served) = Peer(async socket =>
        {
            await socket.SendAsync(new byte[] { (byte)'x', (byte)'A', 0xff, 0x00, (byte)'B' });
            await socket.ReceiveAsync(new byte[1]);
        });
        var result = await ProbeAsync($"tcp:127.0.0.1:{port}", Scripted(script));
        Assert.True(result.Ok, result.Error?.ToString());
        await served.WaitAsync(TestTime.Seconds(5));
    }

    [Fact]
    public async Task Query_EndingWithASend_OkOnceTheBytesAreWritten()
    {
        var heard = "";
        var (port, served) = Peer(async socket => heard = await ReadLineAsync(socket));
        var result = await ProbeAsync($"tcp:127.0.0.1:{port}", Scripted(new QueryResponse([QueryStep.Send("PING é\r\n")])));
        Assert.True(result.Ok, result.Error?.ToString());
        await served.WaitAsync(TestTime.Seconds(5));
        Assert.Equal("PING \u00c3\u00a9\r\n", heard);
    }

    [Fact]
    public async Task Query_WrongBanner_TimeoutErrorShowingWhatCame()
    {
        using var done = new CancellationTokenSource();
        var (port, served) = Peer(async socket =>
        {
            await SendAsync(socket, "554 go 'away'\r\n");
            await socket.ReceiveAsync(new byte[1], done.Token);
        });
        var result = await ProbeAsync($"tcp:127.0.0.1:{port}", Scripted(Smtp, 0.5));
        await done.CancelAsync();
        Assert.False(result.Ok);
        Assert.Equal(new PythonError("TimeoutError", null, @"timed out at step 1: expected /^220 /, got b'554 go \'away\'\r\n'"), result.Error);
        Assert.Equal($"tcp:127.0.0.1:{port}", result.Address);
        await served.WaitAsync(TestTime.Seconds(5));
    }

    [Fact]
    public async Task Query_PeerSilent_TimeoutError()
    {
        using var done = new CancellationTokenSource();
        var (port, served) = Peer(socket => socket.ReceiveAsync(new byte[1], done.Token).AsTask());
        var result = await ProbeAsync($"tcp:127.0.0.1:{port}", Scripted(Smtp, 0.5));
        await done.CancelAsync();
        Assert.Equal(new PythonError("TimeoutError", null, "timed out at step 1: expected /^220 /, got b''"), result.Error);
        Assert.Equal($"tcp:127.0.0.1:{port}", result.Address);
        await served.WaitAsync(TestTime.Seconds(5));
    }

    [Fact]
    public async Task Query_PeerClosesBeforeAMatch_EOFErrorNamingTheStepAndTheBytes()
    {
        var (port, served) = Peer(async socket =>
        {
            await SendAsync(socket, "220 mail.example\r\n");
            await ReadLineAsync(socket);
            await SendAsync(socket, "250-mail.example\r\n\x01");
            socket.Shutdown(SocketShutdown.Send);
            await socket.ReceiveAsync(new byte[1]);
        });
        var result = await ProbeAsync($"tcp:127.0.0.1:{port}", Scripted(Smtp));
        await served.WaitAsync(TestTime.Seconds(5));
        // What the first expect left of the banner is still unconsumed: the bytes since the last match.
        Assert.Equal(new PythonError("EOFError", null, @"step 3: peer closed before /^250 / matched, got b'mail.example\r\n250-mail.example\r\n\x01'"),
            result.Error);
    }

    [Fact]
    public async Task Query_MoreThanTheBufferBoundWithoutAMatch_QueryMismatch()
    {
        using var done = new CancellationTokenSource();
        var (port, served) = Peer(async socket =>
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(new string('A', QueryResponse.MaxBufferedBytes + 1000)));
            await socket.ReceiveAsync(new byte[1], done.Token);
        });
        var result = await ProbeAsync($"tcp:127.0.0.1:{port}", Scripted(Smtp, 10));
        await done.CancelAsync();
        Assert.Equal("QueryMismatch", result.Error?.Kind);
        Assert.Null(result.Error?.Errno);
        Assert.StartsWith($"step 1: expected /^220 / within 65536 bytes, got b'{new string('A', 100)}'... (first 100 of ", result.Error?.Strerror,
            StringComparison.Ordinal);
        await served.WaitAsync(TestTime.Seconds(5));
    }

    [Fact]
    public async Task Query_InvalidRegex_ValueErrorNamingTheStepWithoutConnecting()
    {
        var script = new QueryResponse([QueryStep.Send("x"), QueryStep.Expect("(ab")]);
        var result = await ProbeAsync($"tcp:127.0.0.1:{ClosedPort()}", Scripted(script));
        Assert.Equal(new PythonError("ValueError", null, "query_response[1].expect: not a valid regex: Not enough )'s at offset 3"), result.Error);
        Assert.Equal(0, result.Attempts);
    }

    [Theory]
    [InlineData("udp-echo:127.0.0.1:7", "udp-echo")]
    [InlineData("tcp-echo:127.0.0.1:7", "tcp-echo")]
    [InlineData("dns:localhost", "dns")]
    public async Task Query_OnAnotherKind_ValueErrorNamingIt(string target, string kind)
    {
        var result = await ProbeAsync(target, Scripted(Smtp));
        Assert.Equal(new PythonError("ValueError", null, $"query_response: only for tcp: targets, not {kind}"), result.Error);
        Assert.Equal(0, result.Attempts);
    }
}
