namespace Agent.Bench;

/// <summary>
/// How long each measuring process warms up and measures, how many idle actors the spawn
/// figures use, the default dispatcher's throughput (null: Akka's default, 30), and how the driver
/// avoids other people's load on a shared machine: wait up to <see cref="QuietWait"/> for the machine
/// to use at most <see cref="QuietCores"/> cores, and measure again up to <see cref="NoisyRetries"/>
/// times when others used more meanwhile.
/// </summary>
internal sealed record BenchSettings(TimeSpan Warmup, TimeSpan Measure, int Actors, int? Throughput, double QuietCores, TimeSpan QuietWait, int NoisyRetries);
