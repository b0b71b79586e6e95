using System.Runtime.InteropServices;
using Agent.Messages;

namespace Agent.Actors.Io;

/// <summary>
/// File-system checks for Unix-domain socket nodes, through <c>lstat</c> (so a symlink is never
/// followed): a stale node is removed only when it is a socket; anything else is refused.
/// </summary>
public static partial class UnixNode
{
    /// <summary>What a path holds.</summary>
    public enum NodeKind
    {
        /// <summary>Nothing (ENOENT).</summary>
        Missing,

        /// <summary>A socket node (S_IFSOCK).</summary>
        Socket,

        /// <summary>A regular file.</summary>
        RegularFile,

        /// <summary>A directory.</summary>
        Directory,

        /// <summary>A symlink, fifo, device...</summary>
        Other,
    }

    private const int SIfmt = 0xF000; // S_IFMT
    private const int SIfsock = 0xC000;
    private const int SIfreg = 0x8000;
    private const int SIfdir = 0x4000;

    /// <summary>What <paramref name="path"/> holds, or the lstat error other than ENOENT.</summary>
    public static NodeKind Inspect(string path, out PythonError? error)
    {
        error = null;
        if (Lstat(path, out var buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == OsErrors.ENOENT)
            {
                return NodeKind.Missing;
            }
            error = OsErrors.FromErrno(errno, path);
            return NodeKind.Other;
        }
        return (buffer.Mode & SIfmt) switch
        {
            SIfsock => NodeKind.Socket,
            SIfreg => NodeKind.RegularFile,
            SIfdir => NodeKind.Directory,
            _ => NodeKind.Other,
        };
    }

    /// <summary>
    /// Makes <paramref name="path"/> ready for bind: nothing there, or a stale socket node removed.
    /// Returns the error to report for anything else (the file is left untouched), or null.
    /// A socket node that a live server still accepts on is left alone (<c>[Errno 98] Address already in use</c>).
    /// Abstract names (<c>@name</c>) have no node and always pass.
    /// </summary>
    public static PythonError? PrepareForBind(string path, System.Net.Sockets.SocketType type = System.Net.Sockets.SocketType.Stream)
    {
        if (path.StartsWith('@'))
        {
            return null;
        }
        var kind = Inspect(path, out var error);
        switch (kind)
        {
            case NodeKind.Missing:
                return CheckDirectory(path);
            case NodeKind.Socket:
                if (IsLive(path, type))
                {
                    return OsErrors.FromErrno(OsErrors.EADDRINUSE);
                }
                try
                {
                    File.Delete(path);
                    return null;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return OsErrors.FromException(e) with { Strerror = $"{OsErrors.FromException(e).Strerror}: '{path}'" };
                }
            default:
                return error ?? OsErrors.FromErrno(OsErrors.EEXIST) with
                {
                    Strerror = $"File exists: '{path}' is {Describe(kind)}, not a socket; refusing to remove it",
                };
        }
    }

    // A stale node refuses connections (ECONNREFUSED); a live one accepts them.
    private static bool IsLive(string path, System.Net.Sockets.SocketType type)
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, type, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Null when the directory that would hold <paramref name="path"/> exists, else Python's ENOENT error naming it.</summary>
    public static PythonError? CheckDirectory(string path)
    {
        if (path.StartsWith('@'))
        {
            return null;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return directory is null || Directory.Exists(directory) ? null : OsErrors.FromErrno(OsErrors.ENOENT, path);
    }

    /// <summary>Which node a path names: device and inode, as <c>lstat</c> reports them.</summary>
    /// <param name="Device">st_dev.</param>
    /// <param name="Inode">st_ino.</param>
    public readonly record struct Identity(long Device, long Inode);

    /// <summary>The identity of the socket node at <paramref name="path"/> (just bound by us), or null for an abstract name or anything else.</summary>
    public static Identity? IdentityOf(string path)
    {
        if (path.StartsWith('@') || path.Length == 0 || Lstat(path, out var buffer) != 0 || (buffer.Mode & SIfmt) != SIfsock)
        {
            return null;
        }
        return new Identity(buffer.Device, buffer.Inode);
    }

    /// <summary>
    /// Removes <paramref name="path"/> if, and only if, it is still the node <paramref name="ours"/> that this process
    /// created: a file put there since, or another server's socket bound there after ours was removed, is left alone
    /// (CPython 3.13's asyncio <c>cleanup_socket</c> keeps the same rule). <c>lstat</c> never follows a symlink.
    /// </summary>
    public static void RemoveIfOurs(string path, Identity? ours)
    {
        if (ours is { } identity && IdentityOf(path) == identity)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else removed or protected it first; nothing of ours is left to release.
            }
        }
    }

    /// <summary>chmod on a bound node; returns Python's error, or null.</summary>
    public static PythonError? SetMode(string path, int mode)
    {
        // Abstract names have no node; Windows has no Unix file modes.
        if (path.StartsWith('@') || OperatingSystem.IsWindows())
        {
            return null;
        }
        try
        {
            File.SetUnixFileMode(path, (UnixFileMode)mode);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return OsErrors.FromException(e);
        }
    }

    private static string Describe(NodeKind kind) => kind switch
    {
        NodeKind.RegularFile => "a regular file",
        NodeKind.Directory => "a directory",
        _ => "not a socket (symlink, fifo or device)",
    };

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lstat(string path, out StatBuffer buffer);

    // struct stat is 144 bytes on x86_64 and 128 on aarch64; st_mode sits at offset 24 and 16.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatBuffer
    {
        private readonly long _device;
        private readonly long _inode;
        private readonly int _word2Low;
        private readonly int _word2High;
        private readonly int _word3Low;

        // st_dev and st_ino are the first two words on both.
        public readonly long Device => _device;

        public readonly long Inode => _inode;

        public readonly int Mode => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? _word3Low : _word2Low;
    }
}
