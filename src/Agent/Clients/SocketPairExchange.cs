using System.Text;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Clients;

/// <summary>
/// The seed's socket_socketpair.py as actors: a socketpair from the IO manager, the first end playing the parent
/// (sends the message, prints the child's answer) and the second the child (prints what it got, answers). Each
/// side reads once, at most 1,024 bytes, as the seed's <c>recv(1024)</c> does; then both ends close.
/// </summary>
internal sealed class SocketPairExchange : ReceiveActor, IWithTimers
{
    // The seed's recv(1024).
    private const int RecvSize = 1024;
    private readonly IActorRef _io;
    private readonly bool _datagram;
    private readonly byte[] _message;
    private readonly byte[] _reply;
    private readonly Action<string> _print;
    private readonly TaskCompletionSource<SocketPairOutcome> _done;
    private IActorRef? _parent;
    private IActorRef? _child;
    private SocketInfo? _socket;
    private byte[]? _childReceived;

    /// <summary>Runs one exchange; <paramref name="print"/> gets each transcript line as it happens.</summary>
    public SocketPairExchange(IActorRef io, bool datagram, byte[] message, byte[] reply, TimeSpan timeout, Action<string> print,
        TaskCompletionSource<SocketPairOutcome> done)
    {
        _io = io;
        _datagram = datagram;
        _message = message;
        _reply = reply;
        _print = print;
        _done = done;
        Receive<SocketPairOpened>(OnOpened);
        Receive<SocketPairFailed>(f => Finish(f.Cause, null));
        Receive<SockStream.Received>(OnReceived);
        Receive<SockStream.ConnectionClosed>(_ => { });
        Receive<SockStream.CommandFailed>(f => Finish(f.Cause, null));
        Receive<TimedOut>(_ => Finish(OsErrors.TimedOut, null));
        Timers.StartSingleTimer(TimedOut.Instance, TimedOut.Instance, timeout);
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The exchange's actor; <paramref name="done"/> completes with its outcome.</summary>
    public static Props Props(IActorRef io, bool datagram, byte[] message, byte[] reply, TimeSpan timeout, Action<string> print,
        TaskCompletionSource<SocketPairOutcome> done) =>
        Akka.Actor.Props.Create(() => new SocketPairExchange(io, datagram, message, reply, timeout, print, done));

    /// <inheritdoc />
    protected override void PreStart() =>
        _io.Tell(new SocketPair(_datagram, new SocketOptions(ReadChunkSize: RecvSize)), Self);

    /// <inheritdoc />
    protected override void PostStop()
    {
        _parent?.Tell(SockStream.Abort.Instance, ActorRefs.NoSender);
        _child?.Tell(SockStream.Abort.Instance, ActorRefs.NoSender);
        _done.TrySetResult(new SocketPairOutcome(_socket, _childReceived, null, OsErrors.TimedOut));
    }

    private void OnOpened(SocketPairOpened opened)
    {
        (_parent, _child, _socket) = (opened.First, opened.Second, opened.FirstInfo);
        _parent.Tell(SockStream.Register.Instance, Self);
        _child.Tell(SockStream.Register.Instance, Self);
        _print("in parent, sending message");
        _print("in child, waiting for message");
        _parent.Tell(new SockStream.Write(_message), Self);
    }

    private void OnReceived(SockStream.Received received)
    {
        var data = received.Data.ToArray();
        if (Sender.Equals(_child) && _childReceived is null)
        {
            _childReceived = data;
            _print($"message from parent: {Output.PythonRepr.Bytes(data)}");
            _child.Tell(new SockStream.Write(_reply), Self);
            _child.Tell(SockStream.Close.Instance, Self);
        }
        else if (Sender.Equals(_parent))
        {
            _print($"response from child: {Output.PythonRepr.Bytes(data)}");
            _parent.Tell(SockStream.Close.Instance, Self);
            Finish(null, data);
        }
    }

    private void Finish(PythonError? error, byte[]? parentReceived)
    {
        if (error is null)
        {
            // Both ends were told to close: nothing is left for PostStop to abort.
            (_parent, _child) = (null, null);
        }
        _done.TrySetResult(new SocketPairOutcome(_socket, _childReceived, parentReceived, error));
        Context.Stop(Self);
    }

    private sealed record TimedOut : INoSerializationVerificationNeeded
    {
        public static readonly TimedOut Instance = new();
    }
}

/// <summary>What a socketpair exchange produced: the pair's socket description, what each side read, or the error.</summary>
internal sealed record SocketPairOutcome(SocketInfo? Socket, byte[]? ChildReceived, byte[]? ParentReceived, PythonError? Error)
{
    /// <summary>Bytes as the JSON shows them (UTF-8 text, or null when nothing arrived).</summary>
    public static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
