using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Clients;

/// <summary>What one echo exchange produced: the socket, the chunks in arrival order, the round trip, or the error.</summary>
internal sealed record EchoOutcome(SocketInfo? Socket, IReadOnlyList<byte[]> Chunks, double RttMs, PythonError? Error)
{
    /// <summary>Every chunk joined.</summary>
    public byte[] Received => Chunks.SelectMany(c => c).ToArray();
}
