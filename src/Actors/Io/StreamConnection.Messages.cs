using System.Net.Sockets;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Io;

public sealed partial class StreamConnection
{
    // Socket completions, piped to the actor itself; only handlers touch state. One that lands after the
    // actor stopped (a read cut short by the close) is expected: a dead letter, but not logged as one.
    private sealed record ReadDone(ReadOnlyMemory<byte> Data) : ISelfMessage;

    private sealed record ReadFailed(Exception Error) : ISelfMessage;

    private sealed record WriteDone(int Bytes) : ISelfMessage;

    private sealed record WriteFailed(Exception Error) : ISelfMessage;

    private sealed record ConnectDone(Socket Socket) : ISelfMessage;

    private sealed record ConnectFailed(Exception Error) : ISelfMessage;

    private sealed record ConnectTimedOut : ISelfMessage
    {
        public static readonly ConnectTimedOut Instance = new();
    }

    // A handler's Write, or an echo of bytes read (no command, nobody to answer).
    private readonly record struct PendingWrite(ReadOnlyMemory<byte> Data, SockStream.Write? Command, IActorRef? Commander);

    // PeerInitiated: the peer shut its side and we flush and close on our own; no commander to answer.
    private sealed record CloseRequest(SockStream.Command Command, IActorRef Commander, bool PeerInitiated = false);
}
