namespace Agent.Actors.Tests;

/// <summary>Test classes that run alone, with no other test in parallel (xunit runs them after the parallel ones).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
