using Akka.Actor;

namespace Agent.Actors;

/// <summary>
/// Props over a factory delegate, through Akka's <see cref="IIndirectActorProducer"/>: actors keep
/// private constructors, and one per accepted connection is built without reflection
/// (<c>Props.Create(() => new T(...))</c> binds a public constructor by reflection each time).
/// Local only: such props cannot be deployed to another node, and none of ours is.
/// </summary>
internal static class FactoryProps
{
    /// <summary>Props whose actors <paramref name="factory"/> builds.</summary>
    public static Props Of<TActor>(Func<TActor> factory)
        where TActor : ActorBase => Props.CreateBy(new Producer<TActor>(factory));

    private sealed class Producer<TActor>(Func<TActor> factory) : IIndirectActorProducer
        where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor)
        {
            // Nothing to give back: the factory owns no container.
        }
    }
}
