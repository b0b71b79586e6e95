using System.CommandLine;
using System.Globalization;
using Agent.Bench.Remote;

// Remote requests (issue 9): `agent resolve 127.0.0.1 80 --on B` style lookups from node A to node B over Akka.Remote on
// loopback, requests/s and p50/p99 with 1 and 256 in flight, in one process and across two, our wire serializer and
// Akka's default side by side in one run. With --serve it is node B for the two-process cases (started by the driver).
var durationOption = new Option<double>("--duration") { Description = "Measured seconds per case and serializer in each round. Defaults to 3.", DefaultValueFactory = _ => 3.0 };
var warmupOption = new Option<double>("--warmup") { Description = "Warm-up seconds before each measurement (and of the first, unrecorded pass). Defaults to 1.", DefaultValueFactory = _ => 1.0 };
var roundsOption = new Option<int>("--rounds") { Description = "Rounds; each runs every case with both serializers back to back. Defaults to 5.", DefaultValueFactory = _ => 5 };
var concurrencyOption = new Option<string>("--concurrency") { Description = "Comma-separated requests kept in flight. Defaults to 1,256.", DefaultValueFactory = _ => "1,256" };
var topologyOption = new Option<string>("--topologies") { Description = $"Comma-separated: {Driver.OneProcess} (node B a second actor system here), {Driver.TwoProcesses} (node B a child process). Defaults to both.", DefaultValueFactory = _ => $"{Driver.OneProcess},{Driver.TwoProcesses}" };
var clientOption = new Option<string>("--client") { Description = "actor: one client actor per request in flight; ask: one Ask per request, as FanOut asks. Defaults to actor.", DefaultValueFactory = _ => "actor" };
clientOption.AcceptOnlyFromAmong("actor", "ask");
var selectionOption = new Option<bool>("--selection") { Description = "Send every request through an ActorSelection of B's path (as FanOut does) instead of a reference resolved once." };
var jsonOption = new Option<bool>("--json") { Description = "Print the report as JSON instead of markdown tables." };
var outputOption = new Option<string?>("--output") { Description = "Also write the JSON report to this file." };
var hoconOption = new Option<string>("--hocon") { Description = "Extra Akka settings (HOCON) over the benchmark's own, on every node: for tuning experiments. Defaults to none.", DefaultValueFactory = _ => "" };
var serveOption = new Option<bool>("--serve") { Description = "Be node B: print READY ADDRESS SERIALIZER on stdout, serve until stdin closes (the driver starts it)." };
var serializerOption = new Option<string>("--serializer") { Description = "With --serve: ours or default. Defaults to ours.", DefaultValueFactory = _ => "ours" };
serializerOption.AcceptOnlyFromAmong("ours", "default");

durationOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() <= 0)
    {
        result.AddError("--duration must be above 0.");
    }
});
warmupOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() < 0)
    {
        result.AddError("--warmup cannot be negative.");
    }
});
concurrencyOption.Validators.Add(result =>
{
    if (Counts(result.GetValueOrDefault<string>()) is null)
    {
        result.AddError("--concurrency takes comma-separated counts above 0, e.g. 1,256.");
    }
});
topologyOption.Validators.Add(result =>
{
    if (Topologies(result.GetValueOrDefault<string>()) is null)
    {
        result.AddError($"--topologies takes {Driver.OneProcess} and/or {Driver.TwoProcesses}, comma-separated.");
    }
});
roundsOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--rounds must be at least 1.");
    }
});

var root = new RootCommand("Remote requests between two Agent nodes on loopback: our wire serializer against Akka's default, in one process and across two.");
root.Options.Add(durationOption);
root.Options.Add(warmupOption);
root.Options.Add(roundsOption);
root.Options.Add(concurrencyOption);
root.Options.Add(topologyOption);
root.Options.Add(clientOption);
root.Options.Add(selectionOption);
root.Options.Add(jsonOption);
root.Options.Add(outputOption);
root.Options.Add(hoconOption);
root.Options.Add(serveOption);
root.Options.Add(serializerOption);

root.SetAction(async (parse, _) =>
{
    if (parse.GetValue(serveOption))
    {
        return await ServedNode.ServeAsync(SerializerVariants.Parse(parse.GetValue(serializerOption)!), parse.GetValue(hoconOption)!);
    }
    var inFlight = Counts(parse.GetValue(concurrencyOption)!)!;
    var topologies = Topologies(parse.GetValue(topologyOption)!)!;
    var settings = new RemoteSettings(
        TimeSpan.FromSeconds(parse.GetValue(warmupOption)),
        TimeSpan.FromSeconds(parse.GetValue(durationOption)),
        parse.GetValue(roundsOption),
        inFlight,
        topologies,
        parse.GetValue(clientOption) == "ask" ? ClientKind.Ask : ClientKind.Actor,
        parse.GetValue(selectionOption),
        parse.GetValue(jsonOption),
        parse.GetValue(outputOption),
        parse.GetValue(hoconOption)!,
        $"Agent.Bench.Remote {string.Join(' ', args.Select(a => a.Any(char.IsWhiteSpace) || a.Contains('"', StringComparison.Ordinal) ? $"'{a}'" : a))}".TrimEnd());
    return await Driver.RunAsync(settings);
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"Agent.Bench.Remote: {error.Message}");
    }
    return 2;
}
return await parsed.InvokeAsync();

// The comma-separated in-flight counts, or null when one is not a count above 0.
static List<int>? Counts(string? text)
{
    var counts = new List<int>();
    foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return null;
        }
        counts.Add(count);
    }
    return counts.Count > 0 ? [.. counts.Distinct()] : null;
}

// The comma-separated topologies, or null when one is unknown.
static List<string>? Topologies(string? text)
{
    var names = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
    return names.Count > 0 && names.All(n => n is Driver.OneProcess or Driver.TwoProcesses) ? names : null;
}
