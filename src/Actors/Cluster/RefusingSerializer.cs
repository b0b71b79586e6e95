using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Agent.Actors.Cluster;

/// <summary>
/// Takes the place of Akka's default JSON serializer on a node (<see cref="WireSerialization.NoTypeNameFallback"/>): it
/// writes nothing and reads nothing, so no type a binding does not name crosses the wire, in either direction.
/// </summary>
public sealed class RefusingSerializer : Serializer
{
    /// <summary>The serializer of <paramref name="system"/>.</summary>
    public RefusingSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <summary>
    /// The constructor Akka calls for the <c>json</c> entry, which has a settings section
    /// (<c>akka.actor.serialization-settings.json</c>); there is nothing to set.
    /// </summary>
    public RefusingSerializer(ExtendedActorSystem system, Akka.Configuration.Config settings)
        : base(system)
    {
        _ = settings;
    }

    /// <summary>Not 1 (the default JSON serializer's): frames a peer writes under 1 then find no serializer at all.</summary>
    public const int Id = 1176;

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override bool IncludeManifest => false;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Always: the type has no wire binding (Akka.Remote logs it and keeps the association).</exception>
    public override byte[] ToBinary(object obj) =>
        throw new ArgumentException($"{obj.GetType()} has no wire binding: only IWireMessage and Akka's own messages cross nodes", nameof(obj));

    /// <inheritdoc />
    /// <exception cref="SerializationException">Always.</exception>
    public override object FromBinary(byte[] bytes, Type type) =>
        throw new SerializationException("no fallback serializer on a node: only bound types are read");
}
