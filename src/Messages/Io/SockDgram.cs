using System.Text.Json.Serialization;

namespace Agent.Messages.Io;

/// <summary>
/// The datagram protocol (UDP and Unix datagram sockets), shaped like Akka.IO's <c>Udp</c>. The
/// handler is the sender of <see cref="Bind"/> or <see cref="Connect"/>. Every command gets exactly one
/// reply, except a <see cref="Send"/> without an ack, which is answered only when it fails.
/// </summary>
public static class SockDgram
{
    /// <summary>Largest UDP payload over IPv4: 65,535 minus the IP and UDP headers.</summary>
    public const int MaxIPv4Payload = 65_507;

    /// <summary>Largest UDP payload over IPv6 (without jumbograms).</summary>
    public const int MaxIPv6Payload = 65_527;

    /// <summary>A request to the IO manager or a datagram endpoint.</summary>
    [JsonPolymorphic(TypeDiscriminatorPropertyName = "$cmd")]
    [JsonDerivedType(typeof(Bind), "bind")]
    [JsonDerivedType(typeof(Connect), "connect")]
    [JsonDerivedType(typeof(Send), "send")]
    [JsonDerivedType(typeof(Unbind), "unbind")]
    [JsonDerivedType(typeof(SuspendReading), "suspend_reading")]
    [JsonDerivedType(typeof(ResumeReading), "resume_reading")]
    public abstract record Command;

    /// <summary>Something that happened to a datagram endpoint.</summary>
    public abstract record Event;

    /// <summary>
    /// Sent by a handler to the IO manager: bind a datagram socket (<c>udp:</c> or <c>unix-dgram:</c>)
    /// and deliver every datagram to the sender as <see cref="Received"/>. Replies: <see cref="Bound"/>
    /// from the new endpoint actor, or <see cref="CommandFailed"/>.
    /// </summary>
    /// <param name="Endpoint">Where to bind; port 0 picks a free port (reported in <see cref="Bound"/>).</param>
    /// <param name="Options">Socket options.</param>
    /// <param name="Echo">
    /// The endpoint sends every datagram back to its sender itself and the handler gets no <see cref="Received"/>
    /// (an echo service's whole work, with no message per datagram). A datagram it cannot answer at once (an unnamed
    /// unix sender, a full send buffer, an ICMP error) is dropped, as a network drops one, and counted in the log:
    /// one slow peer never holds up the others.
    /// </param>
    public sealed record Bind(Endpoint Endpoint, SocketOptions? Options = null, bool Echo = false) : Command;

    /// <summary>Reply to <see cref="Bind"/>; <see cref="SocketInfo.Local"/> holds the real port.</summary>
    public sealed record Bound(SocketInfo Socket) : Event
    {
        /// <summary>getsockname().</summary>
        [JsonIgnore]
        public Endpoint LocalAddress => Socket.Local;
    }

    /// <summary>
    /// Sent by a handler to the IO manager: a connected datagram socket talking to one peer only;
    /// ICMP port-unreachable comes back as <see cref="ErrorReceived"/>. Replies: <see cref="Connected"/>
    /// or <see cref="CommandFailed"/>.
    /// </summary>
    public sealed record Connect(Endpoint Remote, Endpoint? Local = null, SocketOptions? Options = null) : Command;

    /// <summary>Reply to <see cref="Connect"/>.</summary>
    public sealed record Connected(SocketInfo Socket) : Event;

    /// <summary>
    /// Sent to an endpoint actor: send one datagram to <paramref name="Target"/> (null on a connected
    /// endpoint). A payload over the family's limit fails before any syscall. With an ack the reply is
    /// <see cref="SendAck"/>; without, no reply on success.
    /// </summary>
    public sealed record Send(ReadOnlyMemory<byte> Data, Endpoint? Target = null, long? Ack = null) : Command;

    /// <summary>Reply to an acked <see cref="Send"/>.</summary>
    public sealed record SendAck(long Ack) : Event;

    /// <summary>From an endpoint actor to its handler: one datagram, boundaries preserved.</summary>
    public sealed record Received(ReadOnlyMemory<byte> Data, Endpoint Sender) : Event;

    /// <summary>From a connected endpoint to its handler: the socket reported an error (e.g. ICMP port unreachable as ConnectionRefusedError); the endpoint stays open.</summary>
    public sealed record ErrorReceived(PythonError Cause) : Event;

    /// <summary>Sent to an endpoint actor: close the socket (removing a Unix node). Reply: <see cref="Unbound"/>.</summary>
    public sealed record Unbind : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly Unbind Instance = new();
    }

    /// <summary>Reply to <see cref="Unbind"/>; the endpoint then stops.</summary>
    public sealed record Unbound : Event
    {
        /// <summary>The singleton.</summary>
        public static readonly Unbound Instance = new();
    }

    /// <summary>Sent to an endpoint actor: stop reading. No reply.</summary>
    public sealed record SuspendReading : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly SuspendReading Instance = new();
    }

    /// <summary>Sent to an endpoint actor: resume reading. No reply.</summary>
    public sealed record ResumeReading : Command
    {
        /// <summary>The singleton.</summary>
        public static readonly ResumeReading Instance = new();
    }

    /// <summary>The failure reply to <paramref name="Cmd"/>, with the cause in Python's words.</summary>
    public sealed record CommandFailed(Command Cmd, PythonError Cause) : Event;
}
