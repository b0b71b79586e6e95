using System.Net.Sockets;
using Agent.Actors.Io;
using Xunit;

namespace Agent.Actors.Tests.Io;

public sealed class UnixNodeTests
{
    // A live socket bound at path, which .NET will not unlink when it is disposed (SocketFactory.ForBind).
    private static Socket Bound(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(SocketFactory.ForBind(SocketFactory.ToUnixEndPoint(path)));
        return socket;
    }

    private static void BindNode(string path)
    {
        // .NET unlinks the node it bound when the socket is disposed; renaming the node first
        // leaves it behind, exactly the stale node of a crashed server that the seeds unlink at start.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(SocketFactory.ToUnixEndPoint(path + ".bound"));
        File.Move(path + ".bound", path);
    }

    [Fact]
    public void PrepareForBind_StaleSocketNode_IsRemoved()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s");
        BindNode(path);
        Assert.Equal(UnixNode.NodeKind.Socket, UnixNode.Inspect(path, out _));
        Assert.Null(UnixNode.PrepareForBind(path));
        Assert.Equal(UnixNode.NodeKind.Missing, UnixNode.Inspect(path, out _));
    }

    [Fact]
    public void PrepareForBind_RegularFile_IsRefusedAndLeftUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("f");
        File.WriteAllText(path, "keep me");
        var error = UnixNode.PrepareForBind(path);
        Assert.NotNull(error);
        Assert.Equal("FileExistsError", error.Kind);
        Assert.Equal(17, error.Errno);
        Assert.Contains($"'{path}' is a regular file, not a socket", error.Strerror, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void PrepareForBind_Directory_IsRefused()
    {
        using var dir = new TempDirectory();
        var error = UnixNode.PrepareForBind(dir.Path);
        Assert.NotNull(error);
        Assert.Contains("is a directory, not a socket", error.Strerror, StringComparison.Ordinal);
        Assert.True(Directory.Exists(dir.Path));
    }

    [Fact]
    public void PrepareForBind_SymlinkToSocket_IsRefusedNotFollowed()
    {
        using var dir = new TempDirectory();
        var target = dir.File("s");
        BindNode(target);
        var link = dir.File("l");
        File.CreateSymbolicLink(link, target);
        Assert.NotNull(UnixNode.PrepareForBind(link));
        Assert.Equal(UnixNode.NodeKind.Socket, UnixNode.Inspect(target, out _));
    }

    [Fact]
    public void PrepareForBind_MissingDirectory_IsFileNotFoundNamingThePath()
    {
        var path = "/tmp/agt-no-such-dir-" + Guid.NewGuid().ToString("N")[..8] + "/s";
        Assert.Equal($"FileNotFoundError: [Errno 2] No such file or directory: '{path}'", UnixNode.PrepareForBind(path)?.ToString());
    }

    [Fact]
    public void RemoveIfOurs_OurNode_IsRemoved()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s");
        using var socket = Bound(path);
        UnixNode.RemoveIfOurs(path, UnixNode.IdentityOf(path));
        Assert.Equal(UnixNode.NodeKind.Missing, UnixNode.Inspect(path, out _));
    }

    [Fact]
    public void RemoveIfOurs_RegularFilePutThereSince_IsKept()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s");
        using var socket = Bound(path);
        var ours = UnixNode.IdentityOf(path);
        File.Delete(path);
        File.WriteAllText(path, "x");
        UnixNode.RemoveIfOurs(path, ours);
        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public void RemoveIfOurs_AnotherServersSocketBoundSince_IsKept()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s");
        using var first = Bound(path);
        var ours = UnixNode.IdentityOf(path);
        File.Delete(path);
        using var second = Bound(path);
        UnixNode.RemoveIfOurs(path, ours);
        Assert.Equal(UnixNode.NodeKind.Socket, UnixNode.Inspect(path, out _));
        Assert.NotEqual(ours, UnixNode.IdentityOf(path));
    }

    [Fact]
    public void RemoveIfOurs_SymlinkToOurNode_NeitherLinkNorTargetRemoved()
    {
        using var dir = new TempDirectory();
        var target = dir.File("s");
        var link = dir.File("link");
        using var socket = Bound(target);
        File.CreateSymbolicLink(link, target);
        UnixNode.RemoveIfOurs(link, UnixNode.IdentityOf(target));
        Assert.Equal(UnixNode.NodeKind.Other, UnixNode.Inspect(link, out _));
        Assert.Equal(UnixNode.NodeKind.Socket, UnixNode.Inspect(target, out _));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void SetMode_BoundNode_Gets0600()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s");
        BindNode(path);
        Assert.Null(UnixNode.SetMode(path, 0x180));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
