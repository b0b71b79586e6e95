using System.Net.Sockets;
using System.Text;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

public sealed class UnixActorTests(ITestOutputHelper output) : IoTestBase(output)
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Bind_UnixPath_Mode0600_EchoesAndRemovesTheNodeOnUnbind()
    {
        using var dir = new TempDirectory();
        var path = dir.File("uds_socket");
        var (server, listener, local) = await BindAsync(Endpoint.Unix(path));
        Assert.Equal(Endpoint.Unix(path), local);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var (client, connection, connected) = await ConnectAsync(local);
        Assert.Equal(("AF_UNIX", "SOCK_STREAM", 0), (connected.Socket.Family, connected.Socket.Type, connected.Socket.Proto));
        await server.ExpectMsgAsync<SockStream.Connected>();
        var serverSide = server.LastSender;
        serverSide.Tell(SockStream.Register.Instance, server.Ref);
        connection.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("over unix")), client.Ref);
        Assert.Equal("over unix", Encoding.ASCII.GetString((await server.ExpectMsgAsync<SockStream.Received>()).Data.Span));

        listener.Tell(SockStream.Unbind.Instance, server.Ref);
        await server.ExpectMsgAsync<SockStream.Unbound>();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Bind_StaleSocketNode_IsReplaced()
    {
        using var dir = new TempDirectory();
        var path = dir.File("stale");
        using (var old = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            old.Bind(new UnixDomainSocketEndPoint(path + ".tmp"));
            File.Move(path + ".tmp", path);
        }
        Assert.Equal(UnixNode.NodeKind.Socket, UnixNode.Inspect(path, out _));
        var (_, _, local) = await BindAsync(Endpoint.Unix(path));
        Assert.Equal(path, local.Path);
    }

    [Fact]
    public async Task Bind_RegularFileAtPath_IsRefusedAndFileUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("precious");
        await File.WriteAllTextAsync(path, "do not delete");
        var handler = CreateTestProbe();
        Io.Tell(new SockStream.Bind(Endpoint.Unix(path)), handler.Ref);
        var failed = await handler.ExpectMsgAsync<SockStream.CommandFailed>();
        Assert.Equal("FileExistsError", failed.Cause.Kind);
        Assert.Contains("is a regular file, not a socket", failed.Cause.Strerror, StringComparison.Ordinal);
        Assert.Equal("do not delete", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Bind_LiveListenerAtPath_IsAddressInUseAndKeepsServing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("live");
        await BindAsync(Endpoint.Unix(path));
        var handler = CreateTestProbe();
        Io.Tell(new SockStream.Bind(Endpoint.Unix(path)), handler.Ref);
        Assert.Equal("OSError: [Errno 98] Address already in use", (await handler.ExpectMsgAsync<SockStream.CommandFailed>()).Cause.ToString());
        await ConnectAsync(Endpoint.Unix(path));
    }

    [Fact]
    public async Task Bind_AbstractName_LeavesNoNode()
    {
        var name = "@agent-test-" + Guid.NewGuid().ToString("N")[..8];
        var (_, _, local) = await BindAsync(Endpoint.Unix(name));
        Assert.Equal(name, local.Path);
        var (_, _, connected) = await ConnectAsync(local);
        Assert.Equal(name, connected.RemoteAddress.Path);
    }

    [Fact]
    public async Task Connect_MissingPath_IsFileNotFoundError()
    {
        var client = CreateTestProbe();
        Io.Tell(new SockStream.Connect(Endpoint.Unix("/tmp/agt-none-" + Guid.NewGuid().ToString("N")[..8])), client.Ref);
        Assert.Equal("FileNotFoundError: [Errno 2] No such file or directory",
            (await client.ExpectMsgAsync<SockStream.CommandFailed>()).Cause.ToString());
    }
}
