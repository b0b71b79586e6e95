using System.Linq.Expressions;

namespace Agent.Actors.Kernel;

/// <summary>
/// The immutable recipe for an actor: how to make an instance (again, on restart) and
/// which supervisor strategy it uses for its children.
/// </summary>
public sealed record Props
{
    private Props(Type actorType, Func<ActorBase> factory)
    {
        ActorType = actorType;
        Factory = factory;
    }

    /// <summary>The actor class.</summary>
    public Type ActorType { get; }

    /// <summary>Makes a fresh instance; called on start and on every restart.</summary>
    public Func<ActorBase> Factory { get; }

    /// <summary>Overrides the actor's own <c>SupervisorStrategy()</c> when set.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; init; }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<T>() where T : ActorBase, new() => new(typeof(T), static () => new T());

    /// <summary>Props from a factory expression such as <c>() =&gt; new Echo(16)</c>; compiled once.</summary>
    public static Props Create<T>(Expression<Func<T>> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        var compiled = factory.Compile();
        return new Props(typeof(T), compiled);
    }

    /// <summary>Props from constructor arguments, matched by reflection on every (re)start.</summary>
    public static Props Create<T>(params object?[] args) where T : ActorBase =>
        new(typeof(T), () => (ActorBase)Activator.CreateInstance(typeof(T), args)!);

    /// <summary>Props from a plain delegate (no expression tree).</summary>
    public static Props FromFactory<T>(Func<T> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(T), factory);
    }

    /// <summary>The same props with another supervisor strategy for the actor's children.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => this with { SupervisorStrategy = strategy };
}
