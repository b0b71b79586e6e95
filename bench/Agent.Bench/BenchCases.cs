namespace Agent.Bench;

/// <summary>One figure of issue 2 section 5: how it is labelled, the Akka.NET 1.5.30 bar and the Agent target.</summary>
internal sealed record BenchCase(string Name, string Figure, string Unit, double AkkaBar, string AkkaBarText, double Target, bool HigherIsBetter)
{
    public string TargetText => HigherIsBetter ? $">= {BenchFormat.Value(Target, Unit)}" : $"<= {BenchFormat.Value(Target, Unit)}";

    public bool Met(double value) => HigherIsBetter ? value >= Target : value <= Target;
}

/// <summary>The figures, in report order. Bars and targets are issue 2 section 5.</summary>
internal static class BenchCases
{
    public static readonly IReadOnlyList<BenchCase> All =
    [
        new("pingpong-1x1", "ping-pong, 1 pair, 1 in flight", "round trips/s", 1.04e6, "1.04 M round trips/s", 1.5e6, true),
        new("pingpong-8x1", "8 pairs, 1 in flight each", "round trips/s", 2.64e6, "2.64 M round trips/s", 3.5e6, true),
        new("pingpong-8x64", "8 pairs, 64 in flight each", "msg/s", 25.8e6, "25.8 M msg/s", 30e6, true),
        new("ask", "Ask, sequential awaits", "asks/s", 434e3, "434 k/s", 600e3, true),
        new("spawn", "spawn 1,000,000 idle actors under one parent", "actors/s", 44.9e3, "44.9 k actors/s", 200e3, true),
        new("memory", "managed memory per idle actor", "B/actor", 1752, "1,752 B", 600, false),
    ];

    public static string[] Names => [.. All.Select(c => c.Name)];

    public static BenchCase? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
