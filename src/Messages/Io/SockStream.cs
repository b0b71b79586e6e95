using System.Text.Json.Serialization;

namespace Agent.Messages.Io;

/// <summary>
/// The stream protocol (TCP and Unix stream sockets), shaped like Akka.IO's <c>Tcp</c>. No message
/// carries an actor reference: the handler is the <em>sender</em> of <see cref="Bind"/>,
/// <see cref="Connect"/>, <see cref="CreateConnection"/> and <see cref="Register"/>. Every command
/// gets exactly one reply (its success event or <see cref="CommandFailed"/>), except a
/// <see cref="Write"/> without an ack, which is answered only when it fails.
/// </summary>
public static class SockStream
{
    /// <summary>A request to the IO manager, a listener or a connection.</summary>
    [JsonPolymorphic(TypeDiscriminatorPropertyName = "$cmd")]
    [JsonDerivedType(typeof(Bind), "bind")]
    [JsonDerivedType(typeof(Unbind), "unbind")]
    [JsonDerivedType(typeof(Connect), "connect")]
    [JsonDerivedType(typeof(CreateConnection), "create_connection")]
    [JsonDerivedType(typeof(Register), "register")]
    [JsonDerivedType(typeof(Write), "write")]
    [JsonDerivedType(typeof(SuspendReading), "suspend_reading")]
    [JsonDerivedType(typeof(ResumeReading), "resume_reading")]
    [JsonDerivedType(typeof(Close), "close")]
    [JsonDerivedType(typeof(ConfirmedClose), "confirmed_close")]
    [JsonDerivedType(typeof(Abort), "abort")]
    public abstract record Command;

    /// <summary>Something that happened to a listener or connection.</summary>
    public abstract record Event;

    /// <summary>
    /// Sent by a handler to the IO manager: bind and listen on <paramref name="Endpoint"/>
    /// (<c>tcp:</c> or <c>unix:</c>). Replies: <see cref="Bound"/> from the new listener, or
    /// <see cref="CommandFailed"/>. Afterwards the sender receives one <see cref="Connected"/> per
    /// accepted connection, from that connection's actor, and must answer it with <see cref="Register"/>.
    /// </summary>
    /// <param name="Endpoint">Where to listen; port 0 picks a free port (reported in <see cref="Bound"/>).</param>
    /// <param name="Backlog">listen() backlog. Defaults to 128.</param>
    /// <param name="Options">Options for the listener and every accepted connection.</param>
    /// <param name="MaxConnections">
    /// Most accepted connections alive at once; at the limit the listener stops accepting (new clients wait in the
    /// backlog) until one ends. Null (the default) leaves only the descriptor limit.
    /// </param>
    public sealed record Bind(Endpoint Endpoint, int Backlog = 128, SocketOptions? Options = null, int? MaxConnections = null) : Command;

    /// <summary>Reply to <see cref="Bind"/>: listening; <see cref="SocketInfo.Local"/> holds the real port.</summary>
    public sealed record Bound(SocketInfo Socket) : Event
    {
        /// <summary>getsockname() of the listener.</summary>
        [JsonIgnore]
        public Endpoint LocalAddress => Socket.Local;
    }

    /// <summary>Sent to a listener: stop accepting, close the socket (removing a Unix node). Reply: <see cref="Unbound"/>.</summary>
    public sealed record Unbind : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly Unbind Instance = new();
    }

    /// <summary>Reply to <see cref="Unbind"/>; the listener then stops.</summary>
    public sealed record Unbound : Event
    {
        /// <summary>The singleton.</summary>
        public static readonly Unbound Instance = new();
    }

    /// <summary>
    /// Sent by a handler to the IO manager: connect to <paramref name="Remote"/> (a literal address or
    /// a Unix path). Replies: <see cref="Connected"/> from the new connection actor, or <see cref="CommandFailed"/>.
    /// </summary>
    /// <param name="Remote">The peer.</param>
    /// <param name="Local">Bind to this address first (Python's <c>source_address</c>).</param>
    /// <param name="Options">Socket options.</param>
    /// <param name="Timeout">Connect deadline (settimeout semantics); null waits for the OS.</param>
    public sealed record Connect(
        Endpoint Remote, Endpoint? Local = null, SocketOptions? Options = null, TimeSpan? Timeout = null) : Command;

    /// <summary>
    /// Sent by a handler to the IO manager: Python's <c>create_connection((Host, Port))</c>, with the
    /// candidates raced as RFC 8305 (Happy Eyeballs v2) describes. Replies: <see cref="Connected"/>
    /// (with every attempt in <see cref="Connected.Attempts"/>) or <see cref="CommandFailed"/> (likewise).
    /// </summary>
    /// <param name="Host">Name or literal.</param>
    /// <param name="Port">Port 0-65535.</param>
    /// <param name="Timeout">Overall deadline; null waits for the OS.</param>
    /// <param name="AttemptDelay">Connection attempt delay; null means 250 ms.</param>
    /// <param name="Options">Socket options for every attempt.</param>
    public sealed record CreateConnection(
        string Host, int Port, TimeSpan? Timeout = null, TimeSpan? AttemptDelay = null, SocketOptions? Options = null)
        : Command;

    /// <summary>One connect attempt of <see cref="CreateConnection"/>.</summary>
    /// <param name="Address">The candidate.</param>
    /// <param name="Outcome"><c>connected</c>, <c>cancelled</c> (lost the race) or the error text.</param>
    /// <param name="Error">The error, when the attempt failed.</param>
    /// <param name="StartedMs">When the attempt started, in ms after the command.</param>
    /// <param name="ElapsedMs">How long it ran.</param>
    public sealed record ConnectAttempt(
        Endpoint Address, string Outcome, PythonError? Error, double StartedMs, double ElapsedMs);

    /// <summary>
    /// From a connection actor to its handler: the socket is connected (reply to <see cref="Connect"/>
    /// or <see cref="CreateConnection"/>, or news of an accepted connection). The handler answers with
    /// <see cref="Register"/>; nothing is read before that.
    /// </summary>
    /// <param name="Socket">family, type, proto, getsockname(), getpeername().</param>
    /// <param name="Attempts">For <see cref="CreateConnection"/>: every attempt; otherwise null.</param>
    public sealed record Connected(SocketInfo Socket, IReadOnlyList<ConnectAttempt>? Attempts = null) : Event
    {
        /// <summary>getpeername().</summary>
        [JsonIgnore]
        public Endpoint RemoteAddress => Socket.Peer ?? Socket.Local;

        /// <summary>getsockname().</summary>
        [JsonIgnore]
        public Endpoint LocalAddress => Socket.Local;
    }

    /// <summary>
    /// Sent to a connection actor: its sender becomes the handler (to register another actor,
    /// <c>Tell(Register.Instance, handler)</c>), and reading starts. No reply; the connection
    /// watches the handler and closes if it dies.
    /// </summary>
    /// <param name="KeepOpenOnPeerClosed">
    /// When the peer shuts its write side, tell the handler <see cref="PeerShutdown"/> and keep the
    /// connection open for writing until the handler closes it (its close reply is then the one close
    /// event); otherwise flush what is queued and end with <see cref="PeerClosed"/>.
    /// </param>
    /// <param name="Echo">
    /// The connection writes every byte it reads back to the peer itself, in order, and the handler gets no
    /// <see cref="Received"/> (an echo service's whole work, with no message per chunk). Reading pauses while
    /// 256 KiB (or the pending-write bound, if smaller) of echo is not yet taken by the kernel, so a peer that does
    /// not read slows only itself. Writes, close commands and close events work as without it.
    /// </param>
    public sealed record Register(bool KeepOpenOnPeerClosed = false, bool Echo = false) : Command
    {
        /// <summary>Register without keep-open.</summary>
        public static readonly Register Instance = new();
    }

    /// <summary>
    /// From a connection registered with <c>KeepOpenOnPeerClosed</c> to its handler: the peer will send
    /// nothing more (recv returned b''); writing still works. Not a close event.
    /// </summary>
    public sealed record PeerShutdown : Event
    {
        /// <summary>The singleton.</summary>
        public static readonly PeerShutdown Instance = new();
    }

    /// <summary>
    /// Sent to a connection actor: write <paramref name="Data"/> (Python's <c>sendall</c>). With an
    /// ack, the reply is <see cref="WriteAck"/> once the bytes are handed to the kernel; without, no
    /// reply on success. Over the connection's pending-bytes limit the reply is <see cref="CommandFailed"/>
    /// and the data is not written.
    /// </summary>
    /// <param name="Data">Bytes over a buffer nobody writes again.</param>
    /// <param name="Ack">Token echoed in <see cref="WriteAck"/>; null for no ack.</param>
    public sealed record Write(ReadOnlyMemory<byte> Data, long? Ack = null) : Command
    {
        /// <summary>A write of a private copy of <paramref name="bytes"/>.</summary>
        public static Write Copy(ReadOnlySpan<byte> bytes, long? ack = null) => new(bytes.ToArray(), ack);
    }

    /// <summary>Reply to an acked <see cref="Write"/>: its bytes reached the kernel.</summary>
    public sealed record WriteAck(long Ack) : Event;

    /// <summary>From a connection actor to its handler: bytes read (at most ReadChunkSize). The buffer is the handler's to keep.</summary>
    public sealed record Received(ReadOnlyMemory<byte> Data) : Event;

    /// <summary>Sent to a connection actor: stop reading until <see cref="ResumeReading"/>. No reply.</summary>
    public sealed record SuspendReading : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly SuspendReading Instance = new();
    }

    /// <summary>Sent to a connection actor: resume reading. No reply.</summary>
    public sealed record ResumeReading : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly ResumeReading Instance = new();
    }

    /// <summary>Sent to a connection actor: flush pending writes, then close. Reply: <see cref="Closed"/>.</summary>
    public sealed record Close : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly Close Instance = new();
    }

    /// <summary>
    /// Sent to a connection actor: flush, shutdown(SHUT_WR), keep reading until the peer closes.
    /// Reply: <see cref="ConfirmedClosed"/>.
    /// </summary>
    public sealed record ConfirmedClose : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly ConfirmedClose Instance = new();
    }

    /// <summary>Sent to a connection actor: drop pending writes and reset (RST). Reply: <see cref="Aborted"/>.</summary>
    public sealed record Abort : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly Abort Instance = new();
    }

    /// <summary>The one close event a handler gets per connection; the connection actor then stops.</summary>
    [JsonPolymorphic(TypeDiscriminatorPropertyName = "$close")]
    [JsonDerivedType(typeof(Closed), "closed")]
    [JsonDerivedType(typeof(ConfirmedClosed), "confirmed_closed")]
    [JsonDerivedType(typeof(Aborted), "aborted")]
    [JsonDerivedType(typeof(PeerClosed), "peer_closed")]
    [JsonDerivedType(typeof(ErrorClosed), "error_closed")]
    public abstract record ConnectionClosed : Event;

    /// <summary>Reply to <see cref="Close"/>.</summary>
    public sealed record Closed : ConnectionClosed
    {
        /// <summary>The singleton.</summary>
        public static readonly Closed Instance = new();
    }

    /// <summary>Reply to <see cref="ConfirmedClose"/>: both directions are shut.</summary>
    public sealed record ConfirmedClosed : ConnectionClosed
    {
        /// <summary>The singleton.</summary>
        public static readonly ConfirmedClosed Instance = new();
    }

    /// <summary>Reply to <see cref="Abort"/>.</summary>
    public sealed record Aborted : ConnectionClosed
    {
        /// <summary>The singleton.</summary>
        public static readonly Aborted Instance = new();
    }

    /// <summary>The peer shut its write side (recv returned b'').</summary>
    public sealed record PeerClosed : ConnectionClosed
    {
        /// <summary>The singleton.</summary>
        public static readonly PeerClosed Instance = new();
    }

    /// <summary>The connection failed (reset, timeout, handler died...); <paramref name="Cause"/> in Python's words.</summary>
    public sealed record ErrorClosed(PythonError Cause) : ConnectionClosed;

    /// <summary>The failure reply to <paramref name="Cmd"/>.</summary>
    /// <param name="Cmd">The command that failed.</param>
    /// <param name="Cause">Why, in Python's words (<c>ConnectionRefusedError: [Errno 111] Connection refused</c>).</param>
    /// <param name="Attempts">For <see cref="CreateConnection"/>: every attempt; otherwise null.</param>
    public sealed record CommandFailed(Command Cmd, PythonError Cause, IReadOnlyList<ConnectAttempt>? Attempts = null) : Event;
}
