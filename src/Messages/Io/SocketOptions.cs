namespace Agent.Messages.Io;

/// <summary>
/// Socket options as Python's <c>setsockopt</c> names them; null leaves the OS default. Options on a
/// <c>Bind</c> apply to the listening socket and to every connection it accepts.
/// </summary>
/// <param name="ReuseAddress">SO_REUSEADDR. Listeners default to true (as most servers set it).</param>
/// <param name="ReusePort">SO_REUSEPORT.</param>
/// <param name="Broadcast">SO_BROADCAST (UDP); needed to send to <c>udp:&lt;broadcast&gt;:PORT</c>.</param>
/// <param name="KeepAlive">SO_KEEPALIVE.</param>
/// <param name="NoDelay">TCP_NODELAY. Defaults to true for TCP connections.</param>
/// <param name="ReceiveBufferSize">SO_RCVBUF in bytes.</param>
/// <param name="SendBufferSize">SO_SNDBUF in bytes.</param>
/// <param name="IPv6Only">IPV6_V6ONLY for AF_INET6 sockets.</param>
/// <param name="LingerSeconds">SO_LINGER on with this timeout; 0 makes close send RST.</param>
/// <param name="ReadChunkSize">Largest single read (Python's <c>recv(bufsize)</c>); defaults to 64 KiB. 16 reproduces the seed transcripts.</param>
/// <param name="IdleTimeout">Close a connection with <c>TimeoutError: timed out</c> after this long without data either way; null means never.</param>
/// <param name="UnixFileMode">File mode of a bound Unix socket node; defaults to 0600 (owner only).</param>
public sealed record SocketOptions(
    bool? ReuseAddress = null,
    bool? ReusePort = null,
    bool? Broadcast = null,
    bool? KeepAlive = null,
    bool? NoDelay = null,
    int? ReceiveBufferSize = null,
    int? SendBufferSize = null,
    bool? IPv6Only = null,
    int? LingerSeconds = null,
    int? ReadChunkSize = null,
    TimeSpan? IdleTimeout = null,
    int? UnixFileMode = null)
{
    /// <summary>All OS defaults.</summary>
    public static readonly SocketOptions Default = new();

    /// <summary>Default read size: 64 KiB.</summary>
    public const int DefaultReadChunkSize = 64 * 1024;

    /// <summary>Default Unix node mode: 0600, so only the owner can connect.</summary>
    public const int DefaultUnixFileMode = 0x180;
}
