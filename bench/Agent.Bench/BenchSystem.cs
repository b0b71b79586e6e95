using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace Agent.Bench;

/// <summary>
/// An Akka.NET actor system for measuring: the default dispatcher as Akka ships it (the .NET thread
/// pool, throughput 30) unless <see cref="BenchSettings.Throughput"/> overrides its throughput, logging
/// only warnings and errors. Disposing it terminates the system.
/// </summary>
internal sealed class BenchSystem : IAsyncDisposable
{
    private BenchSystem(ActorSystem system) => System = system;

    public ActorSystem System { get; }

    public static BenchSystem Create(string name, BenchSettings settings) =>
        new(ActorSystem.Create(name, ConfigurationFactory.ParseString(Hocon(settings.Throughput))));

    /// <summary>What the table's method line says about the dispatcher.</summary>
    public static string Describe(int? throughput) => throughput is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"default dispatcher, throughput {t} (Akka's default is 30)")
        : "default dispatcher, throughput 30 (Akka's default)";

    public async ValueTask DisposeAsync() => await System.Terminate();

    private static string Hocon(int? throughput)
    {
        var hocon = """
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            """;
        return throughput is { } t
            ? hocon + string.Create(CultureInfo.InvariantCulture, $"\nakka.actor.default-dispatcher.throughput = {t}")
            : hocon;
    }
}
