using System.Diagnostics;
using System.Globalization;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Checks;

internal sealed partial class ProbeAttempt
{
    private IActorRef? _stream;
    private string? _peer;
    private byte[] _payload = [];
    private int _echoed;
    private long _sentAt;

    private void StartStream()
    {
        if (_target.Kind == ProbeKind.UnixEcho)
        {
            _io.Tell(new SockStream.Connect(_target.Endpoint, Timeout: _options.Timeout), Self);
            return;
        }
        var create = new SockStream.CreateConnection(_target.Endpoint.Host, _target.Endpoint.Port, _options.Timeout);
        if (_options.Family == FamilyMode.Any)
        {
            _io.Tell(create, Self);
            return;
        }
        // One family only: the IO manager's race resolves AF_UNSPEC, so run the same race here over a resolver of
        // that family; its winner is handed to the IO manager (Adopt, forwarded), which owns the connection as ever.
        var resolver = new FamilyAddressResolver(_resolver, ProbeAddresses.FamilyOf(_options.Family), _options.Timeout + TimeSpan.FromSeconds(1));
        Context.ActorOf(ConnectionRace.Props(Self, create, _ioSettings, resolver));
    }

    private void OnStreamConnected(SockStream.Connected connected)
    {
        _stream = Sender;
        _peer = connected.Socket.Peer?.ToString();
        if (_target.Kind == ProbeKind.Tcp && _options.QueryResponse is not null)
        {
            StartQuery();
            return;
        }
        if (_target.Kind == ProbeKind.Tcp)
        {
            var latency = ElapsedMs(_started);
            Sender.Tell(SockStream.Close.Instance, Self);
            _stream = null;
            Finish(new AttemptOutcome(true, latency, _peer, null, null, null));
            return;
        }
        _payload = new byte[_options.PayloadSize];
        Random.Shared.NextBytes(_payload);
        Sender.Tell(SockStream.Register.Instance, Self);
        _sentAt = Stopwatch.GetTimestamp();
        Sender.Tell(new SockStream.Write(_payload), Self);
    }

    private void OnStreamReceived(SockStream.Received received)
    {
        if (IsQuery)
        {
            OnQueryReceived(received.Data.Span);
            return;
        }
        var data = received.Data.Span;
        for (var i = 0; i < data.Length; i++)
        {
            var at = _echoed + i;
            if (at >= _payload.Length)
            {
                Finish(Failure(Mismatch($"{data.Length - i} bytes more than the {_payload.Length} sent")));
                return;
            }
            if (data[i] != _payload[at])
            {
                Finish(Failure(Mismatch(string.Create(CultureInfo.InvariantCulture,
                    $"byte {at} of {_payload.Length} differs: sent 0x{_payload[at]:x2}, got 0x{data[i]:x2}"))));
                return;
            }
        }
        _echoed += data.Length;
        if (_echoed == _payload.Length)
        {
            var latency = ElapsedMs(_sentAt);
            _stream?.Tell(SockStream.Close.Instance, Self);
            _stream = null;
            Finish(new AttemptOutcome(true, latency, _peer, null, null, null));
        }
    }

    private void OnStreamClosed(SockStream.ConnectionClosed closed)
    {
        _stream = null;
        if (IsQuery)
        {
            Finish(QueryFailure(closed is SockStream.ErrorClosed error ? error.Cause : QueryClosed()));
            return;
        }
        Finish(Failure(closed is SockStream.ErrorClosed failed
            ? failed.Cause
            : new PythonError("EOFError", null, $"peer closed after echoing {_echoed} of {_payload.Length} bytes")));
    }

    private static PythonError Mismatch(string what) => new("EchoMismatch", null, what);
}
