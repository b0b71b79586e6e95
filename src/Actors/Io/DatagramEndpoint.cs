using System.Net;
using System.Net.Sockets;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;
using Akka.Event;

namespace Agent.Actors.Io;

/// <summary>
/// Owns one datagram socket (<c>udp:</c> or <c>unix-dgram:</c>), bound (<see cref="SockDgram.Bind"/>) or
/// connected to one peer (<see cref="SockDgram.Connect"/>). Every datagram goes to the handler as one
/// <see cref="SockDgram.Received"/>, or, bound with <see cref="SockDgram.Bind.Echo"/>, goes straight back to its sender from
/// the receive buffer (no copy, no message; what cannot be sent at once is dropped and counted, so one peer that does not
/// read never holds up the others); sends over the family's limit fail before any syscall; the socket (and a Unix node
/// it created) is released in <see cref="PostStop"/>.
/// </summary>
public sealed class DatagramEndpoint : ReceiveActor, IWithTimers
{
    private const int MaxBatch = 32;
    // sa_family_t alone: the address of an unbound AF_UNIX socket.
    private const int UnnamedUnixAddressSize = 2;
    private const int MaxCachedPeers = 4096;
    private readonly IActorRef _handler;
    private readonly SockDgram.Command _command;
    private readonly Endpoint _endpoint;
    private readonly SocketOptions _options;
    private readonly IoSettings _settings;
    private readonly IAddressResolver _resolver;
    private readonly Queue<(SockDgram.Send Send, SocketAddress? Target, IActorRef Commander)> _sends = new();
    // Echo-style traffic talks to the same peers again and again: convert each address once.
    private readonly Dictionary<SocketAddress, Endpoint> _senderAddresses = [];
    private readonly Dictionary<Endpoint, SocketAddress> _targets = [];
    private readonly Dictionary<Endpoint, List<(SockDgram.Send Send, IActorRef Commander)>> _awaitingTarget = [];
    // IP sockets read on the actor's turn into this reused address (no EndPoint per datagram); null for unix-dgram.
    private SocketAddress? _receiveAddress;
    private byte[]? _receiveBuffer;
    private EndPoint? _anyAddress;
    private Endpoint? _unnamedSender;
    private Socket? _socket;
    private EndPoint? _peer;
    private readonly EndpointKind _kind;
    private readonly bool _echo;
    private long _unnamedSenders;
    private long _echoesDropped;
    private bool _receiving;
    private bool _suspended;
    private bool _sending;
    private long _pendingBytes;
    // The Unix node this endpoint created, removed on close only if the path still names it.
    private UnixNode.Identity? _node;
    private int _unixSendBuffer;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    private DatagramEndpoint(IActorRef handler, SockDgram.Command command, IoSettings settings, IAddressResolver resolver)
    {
        _resolver = resolver;
        _handler = handler;
        _command = command;
        _settings = settings;
        (_endpoint, _options) = command switch
        {
            SockDgram.Bind b => (b.Endpoint, b.Options ?? SocketOptions.Default),
            SockDgram.Connect c => (c.Remote, c.Options ?? SocketOptions.Default),
            _ => throw new ArgumentException("SockDgram.Bind or SockDgram.Connect expected", nameof(command)),
        };
        _kind = _endpoint.Kind;
        _echo = command is SockDgram.Bind { Echo: true };
        Receive<EndpointResolution.Resolved>(r => Open(r.Address, r.Local));
        Receive<EndpointResolution.Failed>(f => Fail(f.Error));
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    /// <summary>
    /// An endpoint for <paramref name="command"/> (<see cref="SockDgram.Bind"/> or <see cref="SockDgram.Connect"/>) whose events go to
    /// <paramref name="handler"/>; host names (its own, a connect's local address, send targets) resolve through <paramref name="resolver"/>.
    /// </summary>
    public static Props Props(IActorRef handler, SockDgram.Command command, IoSettings settings, IAddressResolver resolver) =>
        FactoryProps.Of(() => new DatagramEndpoint(handler, command, settings, resolver));

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.Watch(_handler);
        EndpointResolution.ResolveInto(_endpoint, (_command as SockDgram.Connect)?.Local, _resolver, Self);
    }

    /// <inheritdoc />
    protected override void PostStop() => CloseSocket();

    private void Open(EndPoint address, EndPoint? local)
    {
        try
        {
            _socket = SocketFactory.Create(_endpoint, address);
            SocketFactory.Apply(_socket, _options, listener: _command is SockDgram.Bind);
            if (_options.Broadcast is null && _endpoint.IsBroadcast)
            {
                _socket.EnableBroadcast = true;
            }
            if (_command is SockDgram.Bind)
            {
                if (_endpoint.IsUnix && (_endpoint.Path.Length == 0
                        ? new PythonError("ValueError", null, "a Unix datagram endpoint needs a path: unix-dgram:PATH or unix-dgram:@name")
                        : UnixNode.PrepareForBind(_endpoint.Path, SocketType.Dgram)) is { } nodeError)
                {
                    Fail(nodeError);
                    return;
                }
                _socket.Bind(SocketFactory.ForBind(address));
                if (_endpoint.IsUnix)
                {
                    _node = UnixNode.IdentityOf(_endpoint.Path);
                    if (UnixNode.SetMode(_endpoint.Path, _options.UnixFileMode ?? SocketOptions.DefaultUnixFileMode) is { } modeError)
                    {
                        Fail(modeError);
                        return;
                    }
                }
            }
            else
            {
                if (local is not null)
                {
                    _socket.Bind(local);
                }
                else if (_endpoint.IsUnix)
                {
                    // A unix datagram client must have a name for replies to reach it: an abstract one leaves no node.
                    _socket.Bind(SocketFactory.ToUnixEndPoint("@agent-" + Guid.NewGuid().ToString("N")));
                }
                _socket.Connect(address);
                _peer = address;
            }
            _unixSendBuffer = _endpoint.IsUnix ? _socket.SendBufferSize : 0;
            // An echo is sent on the receiving turn and must never wait there: a send that would block fails instead.
            _socket.Blocking = !_echo;
        }
        catch (SocketException e)
        {
            Fail(_endpoint.IsUnix ? OsErrors.FromUnixException(e) : OsErrors.FromException(e));
            return;
        }
        var info = SocketFactory.Describe(_socket, connected: _peer is not null);
        _handler.Tell(_command is SockDgram.Bind ? new SockDgram.Bound(info) : new SockDgram.Connected(info), Self);
        Become(Ready);
        if (_node is not null)
        {
            Timers.StartPeriodicTimer(CheckNode.Instance, CheckNode.Instance, _settings.UnixNodeCheckInterval);
        }
        StartReceive();
    }

    private void Fail(PythonError cause)
    {
        CloseSocket();
        _handler.Tell(new SockDgram.CommandFailed(_command, cause), Self);
        Context.Stop(Self);
    }

    private void Ready()
    {
        Receive<SockDgram.Send>(Send);
        Receive<TargetResolved>(OnTargetResolved);
        Receive<TargetFailed>(OnTargetFailed);
        Receive<Sent>(_ =>
        {
            _sending = false;
            Completed(_sends.Dequeue());
            PumpSends();
        });
        Receive<SendFailed>(f =>
        {
            _sending = false;
            var (send, _, commander) = _sends.Dequeue();
            _pendingBytes -= send.Data.Length;
            commander.Tell(new SockDgram.CommandFailed(send, OsErrors.FromException(f.Error)), Self);
            PumpSends();
        });
        Receive<DatagramReady>(OnDatagramReady);
        Receive<ReadFailed>(OnReadFailed);
        Receive<CheckNode>(_ =>
        {
            if (_node is not null && UnixNode.IdentityOf(_endpoint.Path) != _node)
            {
                Context.GetLogger().Warning("{Endpoint}: the socket node was removed or replaced; this endpoint stops", _endpoint);
                _node = null;
                Context.Stop(Self);
            }
        });
        Receive<SockDgram.SuspendReading>(_ => _suspended = true);
        Receive<SockDgram.ResumeReading>(_ =>
        {
            _suspended = false;
            StartReceive();
        });
        Receive<SockDgram.Unbind>(_ =>
        {
            CloseSocket();
            Sender.Tell(SockDgram.Unbound.Instance, Self);
            Context.Stop(Self);
        });
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    private void Send(SockDgram.Send send)
    {
        var family = _socket!.AddressFamily;
        if (DatagramLimits.Check(family, _unixSendBuffer, send.Data.Length) is { } tooLong)
        {
            Sender.Tell(new SockDgram.CommandFailed(send, tooLong), Self);
            return;
        }
        if (OsErrors.OverPendingLimit("send", _pendingBytes, send.Data.Length, _settings.MaxPendingWriteBytes) is { } full)
        {
            Sender.Tell(new SockDgram.CommandFailed(send, full), Self);
            return;
        }
        SocketAddress? target = null;
        if (send.Target is { } t)
        {
            if (!_targets.TryGetValue(t, out target))
            {
                if (_awaitingTarget.TryGetValue(t, out var waiting))
                {
                    waiting.Add((send, Sender));
                    _pendingBytes += send.Data.Length;
                    return;
                }
                var resolving = SocketFactory.ResolveAsync(t, _resolver);
                if (!resolving.IsCompleted)
                {
                    // A name: resolve off the actor's turn; sends to it wait, in order, within the pending-bytes bound.
                    _awaitingTarget[t] = [(send, Sender)];
                    _pendingBytes += send.Data.Length;
                    ResolveTarget(t, resolving);
                    return;
                }
                try
                {
                    target = resolving.GetAwaiter().GetResult().Serialize();
                    Remember(_targets, t, target);
                }
                catch (Exception e)
                {
                    // Whatever the resolver threw, the send gets its one reply.
                    Sender.Tell(new SockDgram.CommandFailed(send, EndpointResolution.ToError(e)), Self);
                    return;
                }
            }
        }
        else if (_peer is null)
        {
            Sender.Tell(new SockDgram.CommandFailed(send, OsErrors.FromErrno(OsErrors.EDESTADDRREQ)), Self);
            return;
        }
        _sends.Enqueue((send, target, Sender));
        _pendingBytes += send.Data.Length;
        PumpSends();
    }

    private void ResolveTarget(Endpoint target, ValueTask<EndPoint> resolving) =>
        resolving.PipeTo(Self,
            success: address => new TargetResolved(target, address.Serialize()),
            failure: e => new TargetFailed(target, EndpointResolution.ToError(e)));

    private void OnTargetResolved(TargetResolved resolved)
    {
        if (!_awaitingTarget.Remove(resolved.Target, out var waiting))
        {
            return;
        }
        Remember(_targets, resolved.Target, resolved.Address);
        foreach (var (send, commander) in waiting)
        {
            _sends.Enqueue((send, resolved.Address, commander));
        }
        PumpSends();
    }

    private void OnTargetFailed(TargetFailed failed)
    {
        if (!_awaitingTarget.Remove(failed.Target, out var waiting))
        {
            return;
        }
        foreach (var (send, commander) in waiting)
        {
            _pendingBytes -= send.Data.Length;
            commander.Tell(new SockDgram.CommandFailed(send, failed.Error), Self);
        }
    }

    private void PumpSends()
    {
        while (!_sending && _sends.Count > 0 && _socket is not null)
        {
            var (send, target, commander) = _sends.Peek();
            ValueTask<int> pending;
            try
            {
                pending = target is null
                    ? _socket.SendAsync(send.Data, SocketFlags.None)
                    : _socket.SendToAsync(send.Data, SocketFlags.None, target);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _sends.Dequeue();
                _pendingBytes -= send.Data.Length;
                commander.Tell(new SockDgram.CommandFailed(send, OsErrors.FromException(e)), Self);
                continue;
            }
            if (pending.IsCompletedSuccessfully)
            {
                Completed(_sends.Dequeue());
                continue;
            }
            _sending = true;
            pending.PipeTo(Self, success: static _ => Sent.Instance, failure: static e => new SendFailed(e));
        }
    }

    private void Completed((SockDgram.Send Send, SocketAddress? Target, IActorRef Commander) entry)
    {
        _pendingBytes -= entry.Send.Data.Length;
        if (entry.Send.Ack is { } ack)
        {
            entry.Commander.Tell(new SockDgram.SendAck(ack), Self);
        }
    }

    private void StartReceive()
    {
        if (_receiving || _suspended || _socket is null)
        {
            return;
        }
        _anyAddress ??= _socket.AddressFamily switch
        {
            AddressFamily.InterNetworkV6 => new IPEndPoint(IPAddress.IPv6Any, 0),
            AddressFamily.InterNetwork => new IPEndPoint(IPAddress.Any, 0),
            _ => SocketFactory.ToUnixEndPoint("@"),
        };
        ReceiveInline(ReceiveSize());
    }

    // A datagram is never cut short: the buffer holds the largest one the socket can receive (a UDP payload, or
    // for unix-dgram whatever fits the receive buffer, which bounds a unix datagram), at least the read size asked.
    private int ReceiveSize() => Math.Max(
        Math.Max(1, _options.ReadChunkSize ?? 65_536),
        _kind == EndpointKind.UnixDgram ? _socket!.ReceiveBufferSize : SockDgram.MaxIPv6Payload);

    // Datagrams already queued are read on the actor's turn (a bounded batch, then a self-message so other actors
    // get the thread) into this actor's buffer and reused address, with no self-message round trip and no
    // EndPoint per datagram. Only a receive that has to wait leaves the turn; its completion message carries the
    // byte count, and the buffer and address stay ours.
    private void ReceiveInline(int size)
    {
        _receiveBuffer ??= new byte[size];
        _receiveAddress ??= new SocketAddress(_socket!.AddressFamily, SocketAddress.GetMaximumAddressSize(_socket.AddressFamily));
        for (var i = 0; i < MaxBatch; i++)
        {
            ValueTask<int> pending;
            try
            {
                // A receive shrinks the address to the sender's (a unix path's length); .NET wants the full size back.
                _receiveAddress.Size = _receiveAddress.Buffer.Length;
                pending = _socket!.ReceiveFromAsync(_receiveBuffer.AsMemory(0, size), SocketFlags.None, _receiveAddress);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                ReceiveFailedInline(e);
                return;
            }
            if (!pending.IsCompleted)
            {
                _receiving = true;
                pending.PipeTo(Self, success: static bytes => new DatagramReady(bytes), failure: static e => new ReadFailed(e));
                return;
            }
            int read;
            try
            {
                read = pending.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                ReceiveFailedInline(e);
                return;
            }
            DeliverReceived(read);
            if (_suspended || _socket is null)
            {
                return;
            }
        }
        _receiving = true;
        Self.Tell(DatagramReady.More, ActorRefs.NoSender);
    }

    private void ReceiveFailedInline(Exception error)
    {
        if (error is ObjectDisposedException)
        {
            return;
        }
        // ICMP errors (port unreachable as ECONNREFUSED) are reported and the endpoint keeps going, on its next turn.
        _handler.Tell(new SockDgram.ErrorReceived(OsErrors.FromException(error)), Self);
        _receiving = true;
        Self.Tell(DatagramReady.More, ActorRefs.NoSender);
    }

    private void OnDatagramReady(DatagramReady ready)
    {
        _receiving = false;
        if (_socket is null)
        {
            return;
        }
        if (ready.Bytes >= 0)
        {
            DeliverReceived(ready.Bytes);
        }
        StartReceive();
    }

    private void DeliverReceived(int bytes)
    {
        if (_echo)
        {
            Echo(bytes);
            return;
        }
        _handler.Tell(new SockDgram.Received(_receiveBuffer.AsSpan(0, bytes).ToArray(), SenderOf(_receiveAddress!)), Self);
    }

    // The datagram goes back to the address it came from, out of the receive buffer, before the next receive reuses it.
    private void Echo(int bytes)
    {
        var sender = _receiveAddress!;
        if (sender.Family == AddressFamily.Unix && sender.Size <= UnnamedUnixAddressSize)
        {
            // Logged at 1, 2, 4, 8... so a flood of them cannot flood the log.
            if (long.IsPow2(++_unnamedSenders))
            {
                Context.GetLogger().Warning("echo {Endpoint}: dropped {Count} datagram(s) from unnamed senders (no return address)", _endpoint, _unnamedSenders);
            }
            return;
        }
        try
        {
            _socket!.SendTo(_receiveBuffer.AsSpan(0, bytes), SocketFlags.None, sender);
        }
        catch (SocketException e)
        {
            // A full send buffer (or a unix peer's full queue), or a sender gone: the echo is lost, as on a network.
            if (long.IsPow2(++_echoesDropped))
            {
                Context.GetLogger().Info("echo {Endpoint}: dropped {Count} echo(es) that could not be sent at once, the latest: {Cause}",
                    _endpoint, _echoesDropped, OsErrors.FromException(e));
            }
        }
    }

    private Endpoint SenderOf(SocketAddress address)
    {
        // A unix sender that never bound a name has at most the family in its address (and .NET cannot make an
        // endpoint of it): an unnamed sender, nobody to answer.
        if (address.Family == AddressFamily.Unix && address.Size <= UnnamedUnixAddressSize)
        {
            return _unnamedSender ??= SocketFactory.ToEndpoint(_kind, null);
        }
        if (!_senderAddresses.TryGetValue(address, out var sender))
        {
            var key = new SocketAddress(address.Family, address.Size);
            address.Buffer.Span[..address.Size].CopyTo(key.Buffer.Span);
            sender = SocketFactory.ToEndpoint(_kind, _anyAddress!.Create(key));
            Remember(_senderAddresses, key, sender);
        }
        return sender;
    }

    private static void Remember<TKey, TValue>(Dictionary<TKey, TValue> cache, TKey key, TValue value)
        where TKey : notnull
    {
        if (cache.Count >= MaxCachedPeers)
        {
            cache.Clear();
        }
        cache[key] = value;
    }

    private void OnReadFailed(ReadFailed failed)
    {
        _receiving = false;
        if (_socket is null || failed.Error is ObjectDisposedException)
        {
            return;
        }
        // ICMP errors (port unreachable as ECONNREFUSED) are reported and the endpoint keeps going.
        _handler.Tell(new SockDgram.ErrorReceived(OsErrors.FromException(failed.Error)), Self);
        StartReceive();
    }

    private void CloseSocket()
    {
        _socket?.Dispose();
        _socket = null;
        if (_node is not null)
        {
            UnixNode.RemoveIfOurs(_endpoint.Path, _node);
            _node = null;
        }
        while (_sends.Count > 0)
        {
            var (send, _, commander) = _sends.Dequeue();
            commander.Tell(new SockDgram.CommandFailed(send, OsErrors.FromErrno(OsErrors.EBADF)), Self);
        }
        foreach (var (send, commander) in _awaitingTarget.Values.SelectMany(waiting => waiting))
        {
            commander.Tell(new SockDgram.CommandFailed(send, OsErrors.FromErrno(OsErrors.EBADF)), Self);
        }
        _awaitingTarget.Clear();
    }

    // Messages to the actor itself (its timer, its completions); one that lands after the actor stopped is expected, not logged.
    private sealed record CheckNode : ISelfMessage
    {
        public static readonly CheckNode Instance = new();
    }

    // A receive into this actor's buffer completed with this many bytes; More (-1): keep reading.
    private sealed record DatagramReady(int Bytes) : ISelfMessage
    {
        public static readonly DatagramReady More = new(-1);
    }

    private sealed record ReadFailed(Exception Error) : ISelfMessage;

    private sealed record Sent : ISelfMessage
    {
        public static readonly Sent Instance = new();
    }

    private sealed record SendFailed(Exception Error) : ISelfMessage;

    private sealed record TargetResolved(Endpoint Target, SocketAddress Address) : ISelfMessage;

    private sealed record TargetFailed(Endpoint Target, PythonError Error) : ISelfMessage;
}
