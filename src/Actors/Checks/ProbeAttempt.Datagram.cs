using System.Buffers.Binary;
using System.Diagnostics;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Checks;

internal sealed partial class ProbeAttempt
{
    /// <summary>
    /// Datagrams per attempt: 5. One datagram cannot tell loss from reordering or duplication; five show each, and a
    /// single loss, at a cost of five small sends per probe (a node runs thousands of probes).
    /// </summary>
    public const int DatagramCount = 5;

    /// <summary>Each datagram's header: nonce (4 bytes), sequence number (4), send time in Stopwatch ticks (8).</summary>
    public const int DatagramHeader = 16;

    private IActorRef? _datagram;
    private string? _datagramPeer;
    private uint _nonce;
    private int _sent;
    private readonly long[] _sendTimes = new long[DatagramCount];
    private readonly bool[] _back = new bool[DatagramCount];
    private readonly List<double> _rtts = [];
    private int _highest = -1;
    private int _received, _duplicated, _reordered, _late, _corrupted;
    private bool _inGrace;

    private void StartDatagram()
    {
        if (_target.Kind == ProbeKind.UdpEcho && _options.Family != FamilyMode.Any)
        {
            ResolveDatagramFamily();
            return;
        }
        ConnectDatagram(_target.Endpoint);
    }

    private void ConnectDatagram(Endpoint remote) =>
        _io.Tell(new SockDgram.Connect(remote, Options: new SocketOptions(ReadChunkSize: 65_536)), Self);

    private void OnDatagramConnected(SockDgram.Connected connected)
    {
        _datagram = Sender;
        _datagramPeer = connected.Socket.Peer?.ToString();
        _nonce = (uint)Random.Shared.Next();
        SendDatagram();
    }

    // Spaced, not back to back: reordering on the way is then a real event, not two sends racing in the kernel.
    private TimeSpan Spacing => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(10).Ticks, _options.Timeout.Ticks / 20));

    private void SendDatagram()
    {
        if (_done || _inGrace || _datagram is null || _sent >= DatagramCount)
        {
            return;
        }
        var seq = _sent++;
        _sendTimes[seq] = Stopwatch.GetTimestamp();
        _datagram.Tell(new SockDgram.Send(Build(seq)), Self);
        if (_sent < DatagramCount)
        {
            Timers.StartSingleTimer(nameof(SendNext), SendNext.Instance, Spacing);
        }
    }

    private byte[] Build(int seq)
    {
        var bytes = new byte[Math.Max(_options.PayloadSize, DatagramHeader)];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, _nonce);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), seq);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), _sendTimes[seq]);
        for (var i = DatagramHeader; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(_nonce + (uint)seq + (uint)i);
        }
        return bytes;
    }

    private void OnDatagramReceived(SockDgram.Received received)
    {
        var data = received.Data.Span;
        var seq = data.Length >= DatagramHeader ? BinaryPrimitives.ReadInt32BigEndian(data[4..]) : -1;
        if (seq < 0 || seq >= _sent || !data.SequenceEqual(Build(seq)))
        {
            _corrupted++;
            return;
        }
        if (_back[seq])
        {
            _duplicated++;
            return;
        }
        _back[seq] = true;
        if (seq < _highest)
        {
            _reordered++;
        }
        _highest = Math.Max(_highest, seq);
        if (_inGrace)
        {
            _late++;
        }
        else
        {
            _received++;
            _rtts.Add(Stopwatch.GetElapsedTime(_sendTimes[seq]).TotalMilliseconds);
        }
        if (_received + _late == DatagramCount)
        {
            FinishDatagrams();
        }
    }

    private void BeginGrace()
    {
        _inGrace = true;
        Timers.StartSingleTimer(nameof(GraceOver), GraceOver.Instance, LateGrace(_options.Timeout));
    }

    private DatagramCounts Counts() =>
        new(_sent, _received, _sent - _received - _late, _duplicated, _reordered, _late, _corrupted);

    private void FinishDatagrams()
    {
        var counts = Counts();
        if (counts.Lost == 0 && counts.Late == 0 && counts.Corrupted == 0 && _sent == DatagramCount)
        {
            _rtts.Sort();
            Finish(new AttemptOutcome(true, _rtts[_rtts.Count / 2], _datagramPeer, null, null, counts));
            return;
        }
        var why = counts switch
        {
            { Lost: > 0 } => $"{counts.Lost} of {counts.Sent} datagrams lost",
            { Late: > 0 } => $"{counts.Late} of {counts.Sent} datagrams late",
            { Corrupted: > 0 } => $"{counts.Corrupted} datagrams corrupted",
            _ => $"only {_sent} of {DatagramCount} datagrams sent",
        };
        var error = counts.Lost == counts.Sent ? Agent.Actors.Io.OsErrors.TimedOut : new PythonError("DatagramLoss", null, why);
        Finish(new AttemptOutcome(false, null, _datagramPeer, error, null, counts));
    }
}
