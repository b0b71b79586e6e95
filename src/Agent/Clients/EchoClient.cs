using System.Diagnostics;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Clients;

/// <summary>
/// The client side of the seed echo programs as an actor: connect (stream) or connect a datagram
/// socket, send the message, collect what comes back until it is all there (stream) or one datagram
/// arrives, then close. <c>onSending</c> runs once connected, just before the message goes out,
/// and each chunk is passed to <c>onChunk</c> as it arrives.
/// </summary>
internal sealed class EchoClient : ReceiveActor, IWithTimers
{
    private readonly IActorRef _io;
    private readonly Endpoint _endpoint;
    private readonly byte[] _message;
    private readonly int _chunk;
    private readonly TimeSpan _timeout;
    private readonly Action _onSending;
    private readonly Action<byte[]> _onChunk;
    private readonly TaskCompletionSource<EchoOutcome> _done;
    private readonly List<byte[]> _chunks = [];
    private readonly Stopwatch _clock = new();
    private SocketInfo? _socket;
    private IActorRef? _connection;
    private int _received;
    private double _rtt;

    public EchoClient(IActorRef io, Endpoint endpoint, byte[] message, int chunk, TimeSpan timeout,
        Action onSending, Action<byte[]> onChunk, TaskCompletionSource<EchoOutcome> done)
    {
        _io = io;
        _endpoint = endpoint;
        _message = message;
        _chunk = chunk;
        _timeout = timeout;
        _onSending = onSending;
        _onChunk = onChunk;
        _done = done;
        Receive<SockStream.Connected>(OnTcpConnected);
        Receive<SockStream.Received>(r => OnData(r.Data.ToArray()));
        Receive<SockStream.Closed>(_ => Complete(null));
        Receive<SockStream.PeerClosed>(_ => Complete(_received < _message.Length ? new PythonError("ConnectionResetError", null, "peer closed before echoing everything") : null));
        Receive<SockStream.ErrorClosed>(e => Complete(e.Cause));
        Receive<SockStream.CommandFailed>(f => Complete(f.Cause));
        Receive<SockDgram.Connected>(OnUdpConnected);
        Receive<SockDgram.Received>(r =>
        {
            OnData(r.Data.ToArray());
            Complete(null);
        });
        Receive<SockDgram.ErrorReceived>(e => Complete(e.Cause));
        Receive<SockDgram.CommandFailed>(f => Complete(f.Cause));
        Receive<TimedOut>(_ => Complete(OsErrors.TimedOut));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>One exchange through <paramref name="io"/>; <paramref name="done"/> completes with its outcome.</summary>
    public static Props Props(IActorRef io, Endpoint endpoint, byte[] message, int chunk, TimeSpan timeout,
        Action onSending, Action<byte[]> onChunk, TaskCompletionSource<EchoOutcome> done) =>
        Akka.Actor.Props.Create(() => new EchoClient(io, endpoint, message, chunk, timeout, onSending, onChunk, done));

    /// <inheritdoc />
    protected override void PreStart()
    {
        Timers.StartSingleTimer("timeout", TimedOut.Instance, _timeout);
        if (_endpoint.IsStream)
        {
            _io.Tell(new SockStream.Connect(_endpoint, Options: new SocketOptions(ReadChunkSize: _chunk), Timeout: _timeout), Self);
        }
        else
        {
            _io.Tell(new SockDgram.Connect(_endpoint, Options: new SocketOptions(ReadChunkSize: Math.Max(_chunk, 65_536))), Self);
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _connection?.Tell(_endpoint.IsStream ? SockStream.Abort.Instance : SockDgram.Unbind.Instance, ActorRefs.NoSender);
        _done.TrySetResult(new EchoOutcome(_socket, _chunks, _rtt, OsErrors.TimedOut));
    }

    private void OnTcpConnected(SockStream.Connected connected)
    {
        _socket = connected.Socket;
        _connection = Sender;
        Sender.Tell(SockStream.Register.Instance, Self);
        _onSending();
        _clock.Start();
        Sender.Tell(new SockStream.Write(_message), Self);
        if (_message.Length == 0)
        {
            Sender.Tell(SockStream.Close.Instance, Self);
        }
    }

    private void OnUdpConnected(SockDgram.Connected connected)
    {
        _socket = connected.Socket;
        _connection = Sender;
        _onSending();
        _clock.Start();
        Sender.Tell(new SockDgram.Send(_message), Self);
    }

    private void OnData(byte[] data)
    {
        if (_chunks.Count == 0)
        {
            _rtt = _clock.Elapsed.TotalMilliseconds;
        }
        _chunks.Add(data);
        _received += data.Length;
        _onChunk(data);
        if (_endpoint.IsStream && _received >= _message.Length)
        {
            _connection?.Tell(SockStream.Close.Instance, Self);
        }
    }

    private void Complete(PythonError? error)
    {
        if (_rtt == 0 && _chunks.Count > 0)
        {
            _rtt = _clock.Elapsed.TotalMilliseconds;
        }
        if (_endpoint.IsStream && error is null)
        {
            // Closed cleanly: nothing is left to abort.
            _connection = null;
        }
        _done.TrySetResult(new EchoOutcome(_socket, _chunks, _rtt, error));
        Context.Stop(Self);
    }

    private sealed record TimedOut : INoSerializationVerificationNeeded
    {
        public static readonly TimedOut Instance = new();
    }
}
