namespace Agent.Bench;

/// <summary>How long each measuring process warms up and measures, and how many idle actors the spawn figures use.</summary>
internal sealed record BenchSettings(TimeSpan Warmup, TimeSpan Measure, int Actors);
