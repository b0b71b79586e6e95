using System.Reflection;
using Akka.Actor;

namespace Agent.Bench;

/// <summary>The Akka.NET release being measured, as the table names it ("Akka.NET 1.5.74").</summary>
internal static class AkkaVersion
{
    public static string Text { get; } = "Akka.NET " + Number();

    // The informational version may carry a "+commit" suffix; the table wants the release only.
    private static string Number()
    {
        var assembly = typeof(ActorSystem).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "unknown";
    }
}
