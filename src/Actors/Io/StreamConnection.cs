using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Io;

/// <summary>
/// Owns one stream socket (accepted, connected, or one end of a socketpair) and speaks the
/// <see cref="SockStream"/> connection protocol with its handler (or, registered with <see cref="SockStream.Register.Echo"/>,
/// writes what it reads back itself). Stopped, never restarted: any I/O error
/// ends it with exactly one <see cref="SockStream.ErrorClosed"/>; the socket is disposed in <see cref="PostStop"/>.
/// </summary>
public sealed partial class StreamConnection : UntypedActor, IWithTimers
{
    private readonly IoSettings _settings;
    private readonly SocketOptions _options;
    private readonly SockStream.Connect? _connect;
    private readonly IAddressResolver? _resolver;
    private readonly bool _announce;
    private readonly IReadOnlyList<SockStream.ConnectAttempt>? _attempts;
    // Reads done inline on one turn before the actor yields (each hands the handler one Received).
    private const int MaxInlineReads = 4;
    // At most this many queued writes (and about this many bytes) go out in one gathered send.
    private const int MaxGather = 64;
    private const int MaxGatherBytes = 256 * 1024;
    // An echoing connection stops reading while this much of its echo (at most the pending-write bound) is unwritten.
    private const int EchoHighWater = 256 * 1024;
    private readonly Queue<PendingWrite> _writes = new();
    private List<ArraySegment<byte>>? _gather;
    private int _headOffset;
    private int _lastRead;
    private Socket? _socket;
    private IActorRef _handler;
    private readonly bool _datagram;
    private readonly int _chunk;
    private bool _registered;
    private bool _keepOpen;
    private bool _echo;
    private bool _reading;
    private bool _suspended;
    private bool _peerShut;
    private bool _writing;
    private long _pendingBytes;
    private CloseRequest? _closing;
    private bool _finished;
    private bool _connected;

    private StreamConnection(IActorRef handler, SocketOptions? options, IoSettings settings)
    {
        _handler = handler;
        _options = options ?? SocketOptions.Default;
        _settings = settings;
        _chunk = Math.Max(1, _options.ReadChunkSize ?? SocketOptions.DefaultReadChunkSize);
    }

    private StreamConnection(Socket socket, IActorRef handler, SocketOptions? options, IoSettings settings, bool announce,
        IReadOnlyList<SockStream.ConnectAttempt>? attempts)
        : this(handler, options, settings)
    {
        _socket = socket;
        _datagram = socket.SocketType == SocketType.Dgram;
        _announce = announce;
        _attempts = attempts;
        Become(Connected);
    }

    private StreamConnection(SockStream.Connect connect, IActorRef commander, IoSettings settings, IAddressResolver resolver)
        : this(commander, connect.Options, settings)
    {
        _connect = connect;
        _resolver = resolver;
        _announce = true;
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A connection over an accepted (or otherwise connected) socket; announces <see cref="SockStream.Connected"/> to <paramref name="handler"/> when <paramref name="announce"/>.</summary>
    public static Props Accepted(Socket socket, IActorRef handler, SocketOptions? options, IoSettings settings,
        bool announce = true, IReadOnlyList<SockStream.ConnectAttempt>? attempts = null) =>
        FactoryProps.Of(() => new StreamConnection(socket, handler, options, settings, announce, attempts));

    /// <summary>
    /// An outgoing connection: resolves host names through <paramref name="resolver"/>, connects, then replies
    /// <see cref="SockStream.Connected"/> or <see cref="SockStream.CommandFailed"/> to <paramref name="commander"/>.
    /// </summary>
    public static Props Outgoing(SockStream.Connect connect, IActorRef commander, IoSettings settings, IAddressResolver resolver) =>
        FactoryProps.Of(() => new StreamConnection(connect, commander, settings, resolver));

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.Watch(_handler);
        if (_connect is { } connect)
        {
            if (connect.Timeout is { } timeout)
            {
                Timers.StartSingleTimer("connect-timeout", ConnectTimedOut.Instance, timeout);
            }
            EndpointResolution.ResolveInto(connect.Remote, connect.Local, _resolver!, Self);
            return;
        }
        StartConnected();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        if (!_finished)
        {
            // Stopped from outside: the peer gets a FIN, as on a handler's death (.NET resets a connection that is
            // disposed with a read pending).
            ShutdownQuietly();
        }
        _socket?.Dispose();
        if (!_finished)
        {
            // Stopped from outside (its listener or the IO manager stopped, or it crashed): the handler still gets its
            // one reply or close event, as the protocol promises.
            _finished = true;
            var aborted = OsErrors.FromErrno(OsErrors.ECONNABORTED);
            _handler.Tell(_connect is not null && !_connected ? new SockStream.CommandFailed(_connect, aborted) : new SockStream.ErrorClosed(aborted), Self);
        }
        FailQueuedWrites(OsErrors.FromErrno(OsErrors.EBADF));
    }

    private void StartConnected()
    {
        _connected = true;
        Context.SetReceiveTimeout(_settings.RegisterTimeout);
        if (_announce)
        {
            _handler.Tell(new SockStream.Connected(SocketFactory.Describe(_socket!, connected: true), _attempts), Self);
        }
    }

    /// <inheritdoc />
    protected override void OnReceive(object message) => Connecting(message);

    // An untyped actor with a switch per state: one of these exists per connection, and a ReceiveActor's
    // per-instance handler tables cost about 1.3 KB each (measured with 10,000 idle connections).
    private void Connecting(object message)
    {
        switch (message)
        {
            case EndpointResolution.Resolved r:
                BeginConnect(r.Address, r.Local);
                break;
            case EndpointResolution.Failed f:
                FailConnect(f.Error);
                break;
            case ConnectDone d:
                Timers.Cancel("connect-timeout");
                _socket = d.Socket;
                Become(Connected);
                StartConnected();
                break;
            case ConnectFailed f:
                FailConnect(_connect!.Remote.IsUnix ? OsErrors.FromUnixException(f.Error) : OsErrors.FromException(f.Error));
                break;
            case ConnectTimedOut:
                FailConnect(OsErrors.TimedOut);
                break;
            case Terminated:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void BeginConnect(System.Net.EndPoint address, System.Net.EndPoint? local)
    {
        var connect = _connect!;
        Socket socket;
        try
        {
            socket = SocketFactory.Create(connect.Remote, address);
            _socket = socket;
            SocketFactory.Apply(socket, connect.Options, listener: false);
            if (local is not null)
            {
                socket.Bind(local);
            }
        }
        catch (Exception e)
        {
            FailConnect(OsErrors.FromException(e));
            return;
        }
        socket.ConnectAsync(address).PipeTo(Self, success: () => new ConnectDone(socket), failure: static e => new ConnectFailed(e));
    }

    private void FailConnect(PythonError cause)
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        _handler.Tell(new SockStream.CommandFailed(_connect!, cause), Self);
        Context.Stop(Self);
    }

    private void Connected(object message)
    {
        switch (message)
        {
            case SockStream.Write write:
                Write(write);
                break;
            case ReadDone done:
                OnRead(done);
                break;
            case WriteDone done:
                OnWritten(done);
                break;
            case SockStream.Register register:
                Register(register);
                break;
            case ReadFailed f:
                OnIoError(f.Error);
                break;
            case WriteFailed f:
                OnIoError(f.Error);
                break;
            case SockStream.SuspendReading:
                _suspended = true;
                break;
            case SockStream.ResumeReading:
                _suspended = false;
                StartRead();
                break;
            case SockStream.Close or SockStream.ConfirmedClose:
                BeginClose((SockStream.Command)message);
                break;
            case SockStream.Abort abort:
                Finish(SockStream.Aborted.Instance, new CloseRequest(abort, Sender), abort: true);
                break;
            case ReceiveTimeout:
                Finish(new SockStream.ErrorClosed(OsErrors.TimedOut), null, abort: true);
                break;
            case Terminated t when t.ActorRef.Equals(_handler):
                // Nobody is left to tell; close quietly but gracefully (FIN, not the RST that disposing
                // a socket with a pending read can cause).
                _finished = true;
                ShutdownQuietly();
                Context.Stop(Self);
                break;
            case Terminated or ConnectTimedOut:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Register(SockStream.Register register)
    {
        if (!Sender.Equals(_handler))
        {
            Context.Unwatch(_handler);
            _handler = Sender;
            Context.Watch(_handler);
        }
        _registered = true;
        _keepOpen = register.KeepOpenOnPeerClosed;
        _echo = register.Echo;
        Context.SetReceiveTimeout(_options.IdleTimeout);
        StartRead();
    }

    private void StartRead()
    {
        if (!CanRead)
        {
            return;
        }
        // Bytes already queued are read here, on the actor's turn, without a self-message round trip;
        // a bounded number per turn, so Writes and other connections still get the thread.
        var empty = false;
        for (var i = 0; i < MaxInlineReads; i++)
        {
            int available;
            try
            {
                available = _socket!.Available;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                OnIoError(e);
                return;
            }
            if (available == 0)
            {
                empty = true;
                break;
            }
            // The size is known: receive straight into the array the handler gets (or the echo writes: no pooled
            // buffer, no copy, no zeroing of bytes the kernel overwrites anyway).
            var data = GC.AllocateUninitializedArray<byte>(Math.Min(available, _chunk));
            int read;
            try
            {
                read = _socket.Receive(data, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                OnIoError(e);
                return;
            }
            _lastRead = read;
            if (!Deliver(data.AsMemory(0, read)) || !CanRead)
            {
                return;
            }
            if (read < _chunk)
            {
                // A short read drained the socket: wait for more without holding a buffer.
                empty = true;
                break;
            }
        }
        _reading = true;
        ReadAsync(_socket!, _chunk, wait: !_datagram && empty, LargeReads).PipeTo(Self, failure: static e => new ReadFailed(e));
    }

    // Reads of at least this size come straight into the handler's array (see ReadAsync); smaller ones are
    // copied out of a pooled buffer, which costs less than the FIONREAD that sizing the array needs.
    private const int LargeRead = 1024;

    private bool LargeReads => !_datagram && _lastRead >= LargeRead;

    private bool CanRead =>
        !_reading && !_finished && _registered && !_peerShut && (!_suspended || _closing is not null)
        && _closing is not { Command: not SockStream.ConfirmedClose }
        && (!_echo || _pendingBytes < Math.Min(EchoHighWater, _settings.MaxPendingWriteBytes));

    private static async Task<ReadDone> ReadAsync(Socket socket, int chunk, bool wait, bool large)
    {
        if (wait)
        {
            // A zero-byte read waits for data without holding a buffer, so idle connections cost no buffer;
            // a busy connection (bytes already queued) skips it and reads at once.
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
        }
        if (large && socket.Available is > 0 and var available)
        {
            // Bulk traffic: one FIONREAD buys receiving into the handler's array directly instead of copying.
            var data = GC.AllocateUninitializedArray<byte>(Math.Min(available, chunk));
            var read = await socket.ReceiveAsync(data, SocketFlags.None).ConfigureAwait(false);
            return new ReadDone(data.AsMemory(0, read));
        }
        var buffer = ArrayPool<byte>.Shared.Rent(chunk);
        try
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(0, chunk), SocketFlags.None).ConfigureAwait(false);
            return new ReadDone(buffer.AsSpan(0, read).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnRead(ReadDone done)
    {
        _reading = false;
        if (!Deliver(done.Data))
        {
            return;
        }
        _lastRead = done.Data.Length;
        if (done.Data.Length < _chunk && !_datagram && CanRead)
        {
            // A short read took everything there was a moment ago: go straight to the buffer-less wait
            // (which checks for data itself) instead of asking the socket first.
            _reading = true;
            ReadAsync(_socket!, _chunk, wait: true, LargeReads).PipeTo(Self, failure: static e => new ReadFailed(e));
            return;
        }
        StartRead();
    }

    // Hands one read to the handler, or echoes it; false when reading ends here (peer shut, closing, finished).
    private bool Deliver(ReadOnlyMemory<byte> data)
    {
        if (_finished)
        {
            return false;
        }
        if (data.Length == 0 && !_datagram)
        {
            OnPeerShut();
            return false;
        }
        if (_closing is { Command: SockStream.Close })
        {
            return false;
        }
        if (_echo)
        {
            // The read's array is the write's: nobody else holds it. After the handler's ConfirmedClose our side is
            // shut (or about to be): what the peer still sends is read and dropped until it closes.
            if (_closing is null)
            {
                _writes.Enqueue(new PendingWrite(data, null, null));
                _pendingBytes += data.Length;
                PumpWrites();
            }
            return !_finished;
        }
        _handler.Tell(new SockStream.Received(data), Self);
        return true;
    }

    private void OnPeerShut()
    {
        _peerShut = true;
        if (_closing is { Command: SockStream.ConfirmedClose } confirmed)
        {
            if (_writes.Count == 0)
            {
                Finish(SockStream.ConfirmedClosed.Instance, confirmed, abort: false);
            }
            return;
        }
        if (_closing is not null)
        {
            return;
        }
        if (_keepOpen)
        {
            _handler.Tell(SockStream.PeerShutdown.Instance, Self);
            return;
        }
        // Flush what is queued, then end with PeerClosed.
        _closing = new CloseRequest(SockStream.Close.Instance, ActorRefs.Nobody, PeerInitiated: true);
        CheckDrained();
    }

    private void Write(SockStream.Write write)
    {
        if (_finished || _closing is not null)
        {
            Sender.Tell(new SockStream.CommandFailed(write, OsErrors.FromErrno(OsErrors.EPIPE) with { Strerror = "Broken pipe (connection is closing)" }), Self);
            return;
        }
        if (OsErrors.OverPendingLimit("write", _pendingBytes, write.Data.Length, _settings.MaxPendingWriteBytes) is { } full)
        {
            Sender.Tell(new SockStream.CommandFailed(write, full), Self);
            return;
        }
        _writes.Enqueue(new PendingWrite(write.Data, write, Sender));
        _pendingBytes += write.Data.Length;
        PumpWrites();
    }

    private void PumpWrites()
    {
        while (!_writing && !_finished && _writes.Count > 0)
        {
            var head = _writes.Peek();
            if (head.Data.Length == _headOffset)
            {
                _headOffset = 0;
                Completed(_writes.Dequeue());
                continue;
            }
            ValueTask<int> pending;
            try
            {
                // Writes that queued up behind a send the kernel could not take at once go out together,
                // so a deep pipeline costs one syscall instead of one per Write.
                pending = _writes.Count == 1
                    ? _socket!.SendAsync(head.Data[_headOffset..], SocketFlags.None)
                    : new ValueTask<int>(_socket!.SendAsync(Gather(), SocketFlags.None));
            }
            catch (Exception e)
            {
                OnIoError(e);
                return;
            }
            if (pending.IsCompletedSuccessfully)
            {
                Advance(pending.Result);
                continue;
            }
            _writing = true;
            pending.PipeTo(Self, success: static bytes => new WriteDone(bytes), failure: static e => new WriteFailed(e));
        }
        CheckDrained();
    }

    private List<ArraySegment<byte>> Gather()
    {
        var segments = _gather ??= new List<ArraySegment<byte>>();
        segments.Clear();
        var offset = _headOffset;
        var bytes = 0L;
        foreach (var write in _writes)
        {
            var data = write.Data[offset..];
            offset = 0;
            if (data.IsEmpty)
            {
                continue;
            }
            segments.Add(MemoryMarshal.TryGetArray(data, out var segment) ? segment : new ArraySegment<byte>(data.ToArray()));
            bytes += data.Length;
            if (segments.Count >= MaxGather || bytes >= MaxGatherBytes)
            {
                break;
            }
        }
        return segments;
    }

    private void OnWritten(WriteDone done)
    {
        _writing = false;
        if (_finished)
        {
            return;
        }
        Advance(done.Bytes);
        PumpWrites();
        if (_echo)
        {
            // Reading may have paused at the echo's high-water mark.
            StartRead();
        }
    }

    // Retires what the kernel took, which may span several queued writes; a partial one stays at the head.
    private void Advance(int bytes)
    {
        _pendingBytes -= bytes;
        while (_writes.Count > 0)
        {
            var head = _writes.Peek();
            var rest = head.Data.Length - _headOffset;
            if (bytes < rest)
            {
                _headOffset += bytes;
                return;
            }
            bytes -= rest;
            _headOffset = 0;
            Completed(_writes.Dequeue());
        }
    }

    private void Completed(PendingWrite write)
    {
        if (write.Command?.Ack is { } ack)
        {
            write.Commander!.Tell(new SockStream.WriteAck(ack), Self);
        }
    }

    private void BeginClose(SockStream.Command command)
    {
        if (_finished)
        {
            return;
        }
        if (_closing is { PeerInitiated: false })
        {
            Sender.Tell(new SockStream.CommandFailed(command, OsErrors.FromErrno(OsErrors.EALREADY)), Self);
            return;
        }
        _closing = new CloseRequest(command, Sender);
        if (command is SockStream.ConfirmedClose)
        {
            StartRead();
        }
        CheckDrained();
    }

    private void CheckDrained()
    {
        if (_closing is null || _finished || _writing || _writes.Count > 0)
        {
            return;
        }
        switch (_closing.Command)
        {
            case SockStream.ConfirmedClose:
                try
                {
                    _socket!.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException e)
                {
                    OnIoError(e);
                    return;
                }
                if (_peerShut)
                {
                    Finish(SockStream.ConfirmedClosed.Instance, _closing, abort: false);
                }
                break;
            case SockStream.Close when _closing.PeerInitiated:
                Finish(SockStream.PeerClosed.Instance, null, abort: false);
                break;
            default:
                Finish(SockStream.Closed.Instance, _closing, abort: false);
                break;
        }
    }

    private void OnIoError(Exception error)
    {
        _reading = false;
        _writing = false;
        if (_finished)
        {
            return;
        }
        Finish(new SockStream.ErrorClosed(OsErrors.FromException(error)), _closing, abort: true);
    }

    // The single place a close event leaves this actor: to the handler, and to a different commander.
    private void Finish(SockStream.ConnectionClosed closed, CloseRequest? request, bool abort)
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        if (abort && _socket is not null)
        {
            try
            {
                _socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
                // The socket is already dead; disposing it below is all that is left.
            }
        }
        else
        {
            ShutdownQuietly();
        }
        _socket?.Dispose();
        var cause = closed is SockStream.ErrorClosed error ? error.Cause : OsErrors.FromErrno(OsErrors.EBADF);
        FailQueuedWrites(cause);
        _handler.Tell(closed, Self);
        if (request is { PeerInitiated: false, Commander: var commander } && !commander.IsNobody() && !commander.Equals(_handler))
        {
            commander.Tell(closed, Self);
        }
        Context.Stop(Self);
    }

    private void ShutdownQuietly()
    {
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer is gone already; close anyway.
        }
    }

    private void FailQueuedWrites(PythonError cause)
    {
        while (_writes.Count > 0)
        {
            if (_writes.Dequeue() is { Command: { } command, Commander: { } commander })
            {
                commander.Tell(new SockStream.CommandFailed(command, cause), Self);
            }
        }
        _pendingBytes = 0;
        _headOffset = 0;
    }
}
