using System.CommandLine;
using Agent.Bench.Checks;
using Agent.Bench.Checks.Mesh;

// Probes per second (issue 10): a node's ProbeRunner against blackbox_exporter's /probe on the same targets, side by
// side in one run, each prober on one core (CPU 0), the targets and the load on the other (CPU 1). With --node it is
// the probing node (started by the driver). bench/checks.sh installs what is missing, builds and runs it. The mesh
// command times a full-mesh check of N real nodes against N blackbox_exporters (bench/mesh.sh).
var blackboxOption = new Option<string>("--blackbox") { Description = "blackbox_exporter's executable. Defaults to Debian's prometheus-blackbox-exporter.", DefaultValueFactory = _ => "prometheus-blackbox-exporter" };
var echoOption = new Option<string>("--echo-server") { Description = "The echo server both probe: ../shared/bench's echo_epoll, built (bench/checks.sh builds it).", Required = true };
var dnsmasqOption = new Option<string>("--dnsmasq") { Description = "dnsmasq's executable. Defaults to dnsmasq.", DefaultValueFactory = _ => "dnsmasq" };
var probeCpuOption = new Option<int>("--probe-cpu") { Description = "The core both probers are pinned to. Defaults to 0.", DefaultValueFactory = _ => 0 };
var loadCpuOption = new Option<int>("--load-cpu") { Description = "The core of the targets (echo server, dnsmasq); run this driver there too (taskset). Defaults to 1.", DefaultValueFactory = _ => 1 };
var concurrencyOption = new Option<int>("--concurrency") { Description = "Probes kept in flight per prober. Defaults to 64 (the ProbeRunner's MaxConcurrent).", DefaultValueFactory = _ => 64 };
var roundsOption = new Option<int>("--rounds") { Description = "Rounds; each runs every prober on every case. Defaults to 5.", DefaultValueFactory = _ => 5 };
var quietOption = new Option<double>("--quiet-cores") { Description = "Before each sample, wait until the rest of the machine uses less than this many cores (0: do not wait). Defaults to 0.5.", DefaultValueFactory = _ => 0.5 };
var quietWaitOption = new Option<double>("--quiet-wait") { Description = "Longest wait for that, in seconds, before measuring anyway. Defaults to 10.", DefaultValueFactory = _ => 10.0 };
var durationOption = new Option<double>("--duration") { Description = "Measured seconds per prober and case in each round. Defaults to 5.", DefaultValueFactory = _ => 5.0 };
var firstWarmupOption = new Option<double>("--first-warmup") { Description = "Warm-up seconds of the first, unrecorded pass of each prober (the JIT's tier-up on one shared core takes a while). Defaults to 10.", DefaultValueFactory = _ => 10.0 };
var warmupOption = new Option<double>("--warmup") { Description = "Warm-up seconds before each measurement. Defaults to 1.", DefaultValueFactory = _ => 1.0 };
var jsonOption = new Option<bool>("--json") { Description = "Print the report as JSON instead of markdown tables." };
var outputOption = new Option<string?>("--output") { Description = "Also write the JSON report to this file." };
var nodeOption = new Option<bool>("--node") { Description = "Be the probing node: commands on stdin, answers on stdout (the driver starts it).", Hidden = true };

foreach (var option in (Option<int>[])[concurrencyOption, roundsOption])
{
    option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < 1)
        {
            result.AddError($"{option.Name} must be at least 1.");
        }
    });
}
concurrencyOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() > 1000)
    {
        result.AddError("--concurrency must be at most 1000 (a slot's probe timeout is 5 s plus its index in ms).");
    }
});
durationOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() <= 0)
    {
        result.AddError("--duration must be above 0.");
    }
});
quietWaitOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() < 0)
    {
        result.AddError("--quiet-wait cannot be negative.");
    }
});
foreach (var option in (Option<double>[])[warmupOption, firstWarmupOption])
{
    option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<double>() <= 0)
        {
            result.AddError($"{option.Name} must be above 0.");
        }
    });
}

var root = new RootCommand("Probes per second: the agent's ProbeRunner against blackbox_exporter, same targets, same core, one run.");
foreach (var option in (Option[])[blackboxOption, echoOption, dnsmasqOption, probeCpuOption, loadCpuOption, concurrencyOption, roundsOption, quietOption, quietWaitOption, durationOption, firstWarmupOption, warmupOption, jsonOption, outputOption, nodeOption])
{
    root.Options.Add(option);
}
root.Subcommands.Add(MeshCommand.Create());
// The node is started with --node alone; the mesh command needs no echo server.
echoOption.Required = !args.Contains("--node") && args.FirstOrDefault() != "mesh";

root.SetAction(async (parse, _) =>
{
    if (parse.GetValue(nodeOption))
    {
        return await ProbingNode.RunAsync();
    }
    var settings = new BenchSettings(
        parse.GetValue(blackboxOption)!,
        parse.GetValue(echoOption)!,
        parse.GetValue(dnsmasqOption)!,
        parse.GetValue(probeCpuOption),
        parse.GetValue(loadCpuOption),
        parse.GetValue(concurrencyOption),
        parse.GetValue(roundsOption),
        parse.GetValue(quietOption),
        TimeSpan.FromSeconds(parse.GetValue(quietWaitOption)),
        TimeSpan.FromSeconds(parse.GetValue(firstWarmupOption)),
        TimeSpan.FromSeconds(parse.GetValue(warmupOption)),
        TimeSpan.FromSeconds(parse.GetValue(durationOption)),
        parse.GetValue(jsonOption),
        parse.GetValue(outputOption),
        $"Agent.Bench.Checks {string.Join(' ', args)}".TrimEnd());
    return await Driver.RunAsync(settings);
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"Agent.Bench.Checks: {error.Message}");
    }
    return 2;
}
return await parsed.InvokeAsync();
