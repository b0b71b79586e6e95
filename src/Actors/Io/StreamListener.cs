using System.Net;
using System.Net.Sockets;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;
using Akka.Event;

namespace Agent.Actors.Io;

/// <summary>
/// Owns one listening socket (<c>tcp:</c> or <c>unix:</c>): binds, replies <see cref="SockStream.Bound"/> or
/// <see cref="SockStream.CommandFailed"/>, and starts one <see cref="StreamConnection"/> child per accepted socket.
/// Descriptor exhaustion pauses accepting with a growing backoff, logged once per episode. After
/// <see cref="SockStream.Unbind"/> (or the bind handler's death) it closes the socket, removes a Unix node,
/// and stops once its connections have ended.
/// </summary>
public sealed class StreamListener : ReceiveActor, IWithTimers
{
    private readonly IActorRef _handler;
    private readonly SockStream.Bind _bind;
    private readonly IoSettings _settings;
    private readonly IAddressResolver _resolver;
    private readonly ILoggingAdapter _log;
    private Socket? _socket;
    private bool _acceptPending;
    private TimeSpan _backoff;
    private int _exhaustedFailures;
    // Accepted connections alive, for the bind's MaxConnections; accepting is paused while at the limit.
    private int _connections;
    private bool _atLimit;
    private bool _unbound;
    // The Unix node this listener created, removed on close only if the path still names it.
    private UnixNode.Identity? _node;
    // The socket of the one pending accept; a stopped listener's PostStop closes one nobody took.
    private readonly Handoff<Socket> _accepted = new();

    private StreamListener(IActorRef handler, SockStream.Bind bind, IoSettings settings, IAddressResolver resolver)
    {
        _resolver = resolver;
        _handler = handler;
        _bind = bind;
        _settings = settings;
        _backoff = settings.AcceptBackoffMin;
        _log = Context.GetLogger();
        Receive<EndpointResolution.Resolved>(r => DoBind(r.Address));
        Receive<EndpointResolution.Failed>(f => Fail(f.Error));
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A listener for <paramref name="bind"/> whose events go to <paramref name="handler"/>; a host name resolves through <paramref name="resolver"/>.</summary>
    public static Props Props(IActorRef handler, SockStream.Bind bind, IoSettings settings, IAddressResolver resolver) =>
        FactoryProps.Of(() => new StreamListener(handler, bind, settings, resolver));

    /// <inheritdoc />
    protected override void PreStart()
    {
        DescriptorReserve.TryAcquire();
        Context.Watch(_handler);
        EndpointResolution.ResolveInto(_bind.Endpoint, null, _resolver, Self);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _accepted.Close();
        CloseSocket();
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    private void DoBind(EndPoint address)
    {
        var endpoint = _bind.Endpoint;
        if (endpoint.IsUnix && (endpoint.Path.Length == 0 ? UnixPathRequired() : UnixNode.PrepareForBind(endpoint.Path, SocketType.Stream)) is { } nodeError)
        {
            Fail(nodeError);
            return;
        }
        try
        {
            _socket = SocketFactory.Create(endpoint, address);
            SocketFactory.Apply(_socket, _bind.Options, listener: true);
            _socket.Bind(SocketFactory.ForBind(address));
            _node = endpoint.IsUnix ? UnixNode.IdentityOf(endpoint.Path) : null;
            _socket.Listen(_bind.Backlog);
        }
        catch (SocketException e)
        {
            Fail(OsErrors.FromException(e));
            return;
        }
        if (endpoint.IsUnix && UnixNode.SetMode(endpoint.Path, _bind.Options?.UnixFileMode ?? SocketOptions.DefaultUnixFileMode) is { } modeError)
        {
            Fail(modeError);
            return;
        }
        _handler.Tell(new SockStream.Bound(SocketFactory.Describe(_socket, connected: false)), Self);
        Become(Bound);
        if (_node is not null)
        {
            Timers.StartPeriodicTimer(CheckNode.Instance, CheckNode.Instance, _settings.UnixNodeCheckInterval);
        }
        Accept();
    }

    private static PythonError UnixPathRequired() => new("ValueError", null, "a Unix listener needs a path: unix:PATH or unix:@name");

    private void Fail(PythonError cause)
    {
        CloseSocket();
        _handler.Tell(new SockStream.CommandFailed(_bind, cause), Self);
        Context.Stop(Self);
    }

    private void Bound()
    {
        Receive<Accepted>(_ => OnAccepted());
        Receive<AcceptFailed>(OnAcceptFailed);
        Receive<ResumeAccepting>(_ => Accept());
        Receive<CheckNode>(_ =>
        {
            if (!_unbound && UnixNode.IdentityOf(_bind.Endpoint.Path) != _node)
            {
                _log.Warning("{Endpoint}: the socket node was removed or replaced; this listener stops", _bind.Endpoint);
                Context.Stop(Self);
            }
        });
        Receive<SockStream.Unbind>(_ =>
        {
            Unbind();
            Sender.Tell(SockStream.Unbound.Instance, Self);
        });
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_handler))
            {
                Unbind();
                return;
            }
            _connections--;
            if (_unbound && !Context.GetChildren().Any())
            {
                Context.Stop(Self);
            }
            else if (_atLimit && _connections < _bind.MaxConnections)
            {
                _atLimit = false;
                _log.Info("accepting on {Endpoint} again: {Connections} connections", _bind.Endpoint, _connections);
                Accept();
            }
        });
    }

    private void Accept()
    {
        if (_acceptPending || _unbound || _socket is null)
        {
            return;
        }
        if (_connections >= _bind.MaxConnections)
        {
            if (!_atLimit)
            {
                _atLimit = true;
                _log.Warning("accept on {Endpoint} paused: {Connections} connections, the most it takes at once", _bind.Endpoint, _connections);
            }
            return;
        }
        if (_exhaustedFailures > 0 && !DescriptorReserve.TryAcquire())
        {
            // Still out of descriptors: stay paused rather than let connections take the reserve.
            _exhaustedFailures++;
            Timers.StartSingleTimer("resume-accept", ResumeAccepting.Instance, _backoff);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _settings.AcceptBackoffMax.Ticks));
            return;
        }
        _acceptPending = true;
        var accepted = _accepted;
        _socket.AcceptAsync().PipeTo(Self, success: socket =>
        {
            accepted.Offer(socket);
            return Accepted.Instance;
        }, failure: static e => new AcceptFailed(e));
    }

    private void OnAccepted()
    {
        _acceptPending = false;
        if (_accepted.Take() is not { } socket)
        {
            return;
        }
        if (_unbound)
        {
            socket.Dispose();
            return;
        }
        var nearlyExhausted = DescriptorReserve.NearlyExhausted(socket, out var descriptor, out var limit);
        if (_exhaustedFailures > 0 && !nearlyExhausted)
        {
            _log.Info("accepting on {Endpoint} again after {Failures} failed attempts", _bind.Endpoint, _exhaustedFailures);
            _exhaustedFailures = 0;
            _backoff = _settings.AcceptBackoffMin;
        }
        try
        {
            SocketFactory.Apply(socket, _bind.Options, listener: false);
        }
        catch (SocketException)
        {
            // The peer reset before we could set options; the connection actor reports the error.
        }
        Context.Watch(Context.ActorOf(StreamConnection.Accepted(socket, _handler, _bind.Options, _settings)));
        _connections++;
        if (nearlyExhausted)
        {
            var cause = OsErrors.FromErrno(OsErrors.EMFILE);
            PauseAccepting(cause with { Strerror = $"{cause.Strerror} (descriptor {descriptor} of a limit of {limit})" });
            return;
        }
        Accept();
    }

    private void OnAcceptFailed(AcceptFailed failed)
    {
        _acceptPending = false;
        if (_unbound)
        {
            return;
        }
        var cause = OsErrors.FromException(failed.Error);
        if (cause.Errno is OsErrors.ECONNABORTED or OsErrors.EINTR)
        {
            // ECONNABORTED, EINTR: that client is gone; the next one is fine.
            Accept();
            return;
        }
        PauseAccepting(cause);
    }

    // Stops accepting for the current backoff; descriptor exhaustion also hands the reserve to the rest of the process.
    private void PauseAccepting(PythonError cause)
    {
        if (OsErrors.IsResourceExhaustion(cause.Errno))
        {
            DescriptorReserve.Release();
        }
        if (_exhaustedFailures++ == 0)
        {
            _log.Warning("accept on {Endpoint} paused: {Cause}; backing off (logged once until accepting works again)", _bind.Endpoint, cause);
        }
        Timers.StartSingleTimer("resume-accept", ResumeAccepting.Instance, _backoff);
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _settings.AcceptBackoffMax.Ticks));
    }

    private void Unbind()
    {
        _unbound = true;
        CloseSocket();
        if (!Context.GetChildren().Any())
        {
            Context.Stop(Self);
        }
    }

    private void CloseSocket()
    {
        if (_socket is null)
        {
            return;
        }
        _socket.Dispose();
        _socket = null;
        if (_node is not null)
        {
            UnixNode.RemoveIfOurs(_bind.Endpoint.Path, _node);
        }
    }

    // Completions that land after the listener stopped are expected, so not logged as dead letters.
    private sealed record Accepted : ISelfMessage
    {
        public static readonly Accepted Instance = new();
    }

    private sealed record AcceptFailed(Exception Error) : ISelfMessage;

    private sealed record CheckNode : ISelfMessage
    {
        public static readonly CheckNode Instance = new();
    }

    private sealed record ResumeAccepting : ISelfMessage
    {
        public static readonly ResumeAccepting Instance = new();
    }
}
