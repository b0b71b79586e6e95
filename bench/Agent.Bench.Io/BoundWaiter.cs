using Agent.Actors.Io.Echo;
using Agent.Actors.Kernel;

namespace Agent.Bench.Io;

/// <summary>Completes <see cref="Bound"/> with the port the echo service reports once it is listening.</summary>
internal sealed class BoundWaiter : ReceiveActor
{
    private BoundWaiter(TaskCompletionSource<int> bound) =>
        Receive<EchoServiceBound>(b => bound.TrySetResult(b.Socket.Local.Port));

    public static Props Props(TaskCompletionSource<int> bound) => Agent.Actors.Kernel.Props.FromFactory(() => new BoundWaiter(bound));
}
