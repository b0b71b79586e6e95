using System.CommandLine;
using Agent.Bench;

// Akka.NET actor benchmark harness. Without --case it is the driver: it re-invokes itself once per
// figure and run (a fresh process each), takes the median of the runs and prints the table.
// With --case NAME it is one measuring process and prints one RESULT line.
var caseOption = new Option<string?>("--case") { Description = "Measure one figure in this process and print a RESULT line (used by the driver)." };
var casesOption = new Option<string?>("--cases") { Description = $"Comma-separated figures to run (default: all): {string.Join(", ", BenchCases.Names)}." };
var jsonOption = new Option<bool>("--json") { Description = "Print the results as JSON instead of a markdown table." };
var runsOption = new Option<int>("--runs") { Description = "Fresh processes per figure; the median is reported. Defaults to 3.", DefaultValueFactory = _ => 3 };
var warmupOption = new Option<double>("--warmup") { Description = "Warm-up seconds per process. Defaults to 2.", DefaultValueFactory = _ => 2.0 };
var measureOption = new Option<double>("--measure") { Description = "Measured seconds per process. Defaults to 5.", DefaultValueFactory = _ => 5.0 };
var actorsOption = new Option<int>("--actors") { Description = "Idle actors for the spawn and memory figures. Defaults to 1,000,000.", DefaultValueFactory = _ => 1_000_000 };
var throughputOption = new Option<int?>("--throughput") { Description = "akka.actor.default-dispatcher.throughput: messages an actor processes per turn. Defaults to Akka's own (30)." };
throughputOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int?>() is < 1)
    {
        result.AddError("--throughput must be at least 1.");
    }
});

var quietCoresOption = new Option<double>("--quiet-cores") { Description = "Other processes' CPU use (in cores) under which the machine counts as quiet. Defaults to 0.25.", DefaultValueFactory = _ => 0.25 };
var quietWaitOption = new Option<double>("--quiet-wait") { Description = "Seconds to wait for a quiet machine before each run. Defaults to 120.", DefaultValueFactory = _ => 120.0 };
var retriesOption = new Option<int>("--noisy-retries") { Description = "Extra runs when others loaded the machine during a measurement; the quietest is kept. Defaults to 2.", DefaultValueFactory = _ => 2 };

var root = new RootCommand("Akka.NET actor benchmarks (the runtime Agent runs on): ping-pong, Ask, spawn and per-actor memory, against the recorded Akka.NET 1.5.30 bar and Agent's targets.");
root.Options.Add(caseOption);
root.Options.Add(casesOption);
root.Options.Add(jsonOption);
root.Options.Add(runsOption);
root.Options.Add(warmupOption);
root.Options.Add(measureOption);
root.Options.Add(actorsOption);
root.Options.Add(throughputOption);
root.Options.Add(quietCoresOption);
root.Options.Add(quietWaitOption);
root.Options.Add(retriesOption);

root.SetAction(async (parse, _) =>
{
    var settings = new BenchSettings(
        TimeSpan.FromSeconds(parse.GetValue(warmupOption)),
        TimeSpan.FromSeconds(parse.GetValue(measureOption)),
        parse.GetValue(actorsOption),
        parse.GetValue(throughputOption),
        parse.GetValue(quietCoresOption),
        TimeSpan.FromSeconds(parse.GetValue(quietWaitOption)),
        parse.GetValue(retriesOption));
    var single = parse.GetValue(caseOption);
    if (single is not null)
    {
        return await CaseRunner.RunInThisProcessAsync(single, settings);
    }
    var names = parse.GetValue(casesOption)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? BenchCases.Names;
    return await Driver.RunAsync(names, parse.GetValue(runsOption), settings, parse.GetValue(jsonOption));
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"Agent.Bench: {error.Message}");
    }
    return 2;
}
return await parsed.InvokeAsync();
