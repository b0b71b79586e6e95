using System.Net;
using System.Net.Sockets;

namespace Agent.Actors.Io;

public sealed partial class StreamConnection
{
    // Socket completions, told by the continuation to the actor itself; only handlers touch state.
    private sealed record ReadDone(ReadOnlyMemory<byte> Data);

    private sealed record ReadFailed(Exception Error);

    private sealed record WriteDone(int Bytes);

    private sealed record WriteFailed(Exception Error);

    private sealed record ConnectDone(Socket Socket);

    private sealed record ConnectFailed(Exception Error);

    private sealed record ConnectTimedOut;

    private sealed record PendingWrite(ReadOnlyMemory<byte> Data, Agent.Messages.Io.SockStream.Write Command, Kernel.IActorRef Commander);

    private sealed record CloseRequest(Agent.Messages.Io.SockStream.Command Command, Kernel.IActorRef Commander);
}
