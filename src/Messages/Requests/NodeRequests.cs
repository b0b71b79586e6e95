using Agent.Messages.Io;

namespace Agent.Messages.Requests;

// The node request protocol: what one node asks another node's request actor to run locally (`agent ... --on NODE`).
// A lookup travels as a LookupProbe (the resolution protocol's own request and the asker's deadline, answered Resolved
// or ResolutionFailed); the address conversions, the echo exchange and create_connection travel as the others. Each request is
// answered exactly once, failures included, with the record below it; the asking node turns the answer into what the
// command prints locally.

/// <summary>
/// A lookup run by the receiving node's resolver, answered as the resolver answers it (<see cref="Resolution.Resolved"/> or
/// <see cref="Resolution.ResolutionFailed"/>), or with Python's <c>TimeoutError</c> when <paramref name="Timeout"/> passes
/// first: the asker's deadline, as the local command's <c>--timeout</c> is its resolver's.
/// </summary>
/// <param name="Request">The lookup.</param>
/// <param name="Timeout">How long the lookup may take, above zero and at most a day.</param>
public sealed record LookupProbe(Resolution.ResolutionRequest Request, TimeSpan Timeout) : IWireMessage;

/// <summary>
/// One of Python's address conversion functions (<c>agent addr FUNCTION ARGUMENT</c>) run on the node that receives it
/// (interface names and indexes are that node's). Replies <see cref="AddrAnswer"/>.
/// </summary>
/// <param name="Function">The <c>agent addr</c> subcommand: <c>aton</c>, <c>ntoa</c>, <c>pton</c>, <c>ntop</c>, <c>htons</c>,
/// <c>htonl</c>, <c>ntohs</c>, <c>ntohl</c>, <c>nametoindex</c>, <c>indextoname</c> or <c>nameindex</c>.</param>
/// <param name="Argument">Its argument as the CLI takes it (empty for <c>nameindex</c>).</param>
/// <param name="Family">For <c>pton</c> and <c>ntop</c>: <c>inet</c> or <c>inet6</c>; otherwise null.</param>
public sealed record AddrCall(string Function, string Argument, string? Family = null) : IWireMessage;

/// <summary>The answer to <see cref="AddrCall"/>: what the command prints, or Python's error.</summary>
/// <param name="Json">The result as <c>--json</c> prints it (JSON text); null on error.</param>
/// <param name="Text">The result as the command prints it without <c>--json</c>; null on error.</param>
/// <param name="Error">Python's error (<c>OSError</c>, <c>ValueError</c>...), or a refused argument; null on success.</param>
/// <param name="BadArgument">True when the arguments were refused before anything ran (the CLI's exit status 2).</param>
public sealed record AddrAnswer(string? Json, string? Text, PythonError? Error, bool BadArgument = false) : IWireMessage;

/// <summary>
/// The seeds' echo client run on the receiving node: connect to <paramref name="Target"/>, send
/// <paramref name="Payload"/>, collect what comes back. Replies <see cref="EchoReport"/>, within
/// <paramref name="Timeout"/> (a timeout is a report too).
/// </summary>
/// <param name="Target">tcp, udp, unix or unix-dgram endpoint, as the receiving node sees it.</param>
/// <param name="Payload">What to send: at most <see cref="MaxPayload"/> bytes.</param>
/// <param name="Chunk">recv() size for stream sockets, 1-65536.</param>
/// <param name="Timeout">The whole exchange's deadline, above zero and at most an hour.</param>
public sealed record EchoProbe(Endpoint Target, ReadOnlyMemory<byte> Payload, int Chunk, TimeSpan Timeout) : IWireMessage
{
    /// <summary>The largest payload a remote echo carries (32 KiB): its report comes back in one remoting frame.</summary>
    public const int MaxPayload = 32 * 1024;

    /// <summary>The most recv() chunks a remote echo reports (payload / chunk): each is an entry of the report's frame.</summary>
    public const int MaxChunks = 2048;

    /// <summary>What keeps this probe's report within one remoting frame, or null when it fits.</summary>
    public static string? SizeProblem(int payload, int chunk) =>
        payload > MaxPayload ? $"a message of {payload} bytes is over the {MaxPayload} a remote echo carries"
        : chunk > 0 && (payload + chunk - 1) / chunk > MaxChunks ? $"a remote echo reports at most {MaxChunks} chunks: {payload} bytes in chunks of {chunk} is more; use a larger --chunk"
        : null;
}

/// <summary>The answer to <see cref="EchoProbe"/>.</summary>
/// <param name="Socket">The socket that talked to the target; null when it never connected.</param>
/// <param name="Chunks">What came back, one entry per recv(), in order.</param>
/// <param name="RttMs">Time from sending to the first bytes back.</param>
/// <param name="Error">Why the exchange failed; null when every byte came back.</param>
public sealed record EchoReport(SocketInfo? Socket, IReadOnlyList<ReadOnlyMemory<byte>> Chunks, double RttMs, PythonError? Error) : IWireMessage;

/// <summary>
/// Python's <c>create_connection((Host, Port), timeout)</c> run on the receiving node (Happy Eyeballs), the connection
/// closed once made. Replies <see cref="ConnectReport"/>.
/// </summary>
/// <param name="Host">Name or address, resolved by the receiving node.</param>
/// <param name="Port">0-65535.</param>
/// <param name="Timeout">The overall deadline, above zero and at most an hour.</param>
public sealed record ConnectProbe(string Host, int Port, TimeSpan Timeout) : IWireMessage;

/// <summary>The answer to <see cref="ConnectProbe"/>.</summary>
/// <param name="Socket">The winning socket; null on failure.</param>
/// <param name="Attempts">Every attempt, in start order.</param>
/// <param name="Error">Why no attempt won; null on success.</param>
public sealed record ConnectReport(SocketInfo? Socket, IReadOnlyList<SockStream.ConnectAttempt> Attempts, PythonError? Error) : IWireMessage;
