using System.Net;
using System.Net.Sockets;
using Agent.Actors.Io;
using Xunit;

namespace Agent.Actors.Tests.Io;

public sealed class OsErrorsTests
{
    [Theory]
    [InlineData(111, "ConnectionRefusedError: [Errno 111] Connection refused")]
    [InlineData(104, "ConnectionResetError: [Errno 104] Connection reset by peer")]
    [InlineData(98, "OSError: [Errno 98] Address already in use")]
    [InlineData(13, "PermissionError: [Errno 13] Permission denied")]
    [InlineData(24, "OSError: [Errno 24] Too many open files")]
    [InlineData(110, "TimeoutError: [Errno 110] Connection timed out")]
    [InlineData(32, "BrokenPipeError: [Errno 32] Broken pipe")]
    [InlineData(2, "FileNotFoundError: [Errno 2] No such file or directory")]
    [InlineData(11, "BlockingIOError: [Errno 11] Resource temporarily unavailable")]
    public void FromErrno_MatchesPython(int errno, string python) =>
        Assert.Equal(python, OsErrors.FromErrno(errno).ToString());

    [Fact]
    public void FromErrno_WithFilename_AppendsItLikePython() =>
        Assert.Equal("FileNotFoundError: [Errno 2] No such file or directory: './x'", OsErrors.FromErrno(2, "./x").ToString());

    [Fact]
    public void FromErrno_Unknown_SaysUnknownError() =>
        Assert.Equal("OSError: [Errno 4242] Unknown error 4242", OsErrors.FromErrno(4242).ToString());

    [Fact]
    public void FromException_RealRefusedConnect_IsConnectionRefusedError()
    {
        // Bind without listen: the port is ours and nobody accepts, so connect is refused.
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var e = Assert.Throws<SocketException>(() => client.Connect(holder.LocalEndPoint!));
        Assert.Equal("ConnectionRefusedError: [Errno 111] Connection refused", OsErrors.FromException(e).ToString());
    }

    [Fact]
    public void FromException_RealPortInUse_IsAddressAlreadyInUse()
    {
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        first.Listen();
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var e = Assert.Throws<SocketException>(() => second.Bind(first.LocalEndPoint!));
        Assert.Equal("OSError: [Errno 98] Address already in use", OsErrors.FromException(e).ToString());
    }

    [Fact]
    public void FromException_Cancellation_IsPythonTimeout() =>
        Assert.Equal("TimeoutError: timed out", OsErrors.FromException(new OperationCanceledException()).ToString());

    [Fact]
    public void IsResourceExhaustion_KnowsEmfileEnfileEnobufs()
    {
        Assert.True(OsErrors.IsResourceExhaustion(24));
        Assert.True(OsErrors.IsResourceExhaustion(23));
        Assert.True(OsErrors.IsResourceExhaustion(105));
        Assert.False(OsErrors.IsResourceExhaustion(98));
        Assert.False(OsErrors.IsResourceExhaustion(null));
    }

    [Fact]
    public void OverPendingLimit_EmptyQueueTakesAnySize_OtherwiseEagainPastTheLimit()
    {
        Assert.Null(OsErrors.OverPendingLimit("write", 0, 10_000, 100));
        Assert.Null(OsErrors.OverPendingLimit("write", 60, 40, 100));
        Assert.Equal(
            "BlockingIOError: [Errno 11] Resource temporarily unavailable (send queue full: 60 bytes pending, limit 100)",
            OsErrors.OverPendingLimit("send", 60, 41, 100)?.ToString());
    }
}
