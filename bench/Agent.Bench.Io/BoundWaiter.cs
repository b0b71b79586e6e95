using Agent.Actors.Io.Echo;
using Akka.Actor;

namespace Agent.Bench.Io;

/// <summary>Completes its task with the port the echo service reports once it is listening.</summary>
internal sealed class BoundWaiter : ReceiveActor
{
    public BoundWaiter(TaskCompletionSource<int> bound) =>
        Receive<EchoServiceBound>(b => bound.TrySetResult(b.Socket.Local.Port));

    public static Props Props(TaskCompletionSource<int> bound) => Akka.Actor.Props.Create(() => new BoundWaiter(bound));
}
