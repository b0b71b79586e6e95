using System.CommandLine;

namespace Agent.Bench.Checks.Mesh;

/// <summary><c>Agent.Bench.Checks mesh --agent PATH [...]</c>: the full-mesh check against blackbox_exporter (<see cref="MeshDriver"/>); bench/mesh.sh runs it.</summary>
internal static class MeshCommand
{
    public static Command Create()
    {
        var agent = new Option<string>("--agent") { Description = "The agent to run: agent.dll (run with this bench's dotnet host) or the apphost.", Required = true };
        var blackbox = new Option<string>("--blackbox") { Description = "blackbox_exporter's executable. Defaults to Debian's prometheus-blackbox-exporter.", DefaultValueFactory = _ => "prometheus-blackbox-exporter" };
        var sizes = new Option<int[]>("--nodes") { Description = "Cluster sizes N, in order. Defaults to 2 4 8.", DefaultValueFactory = _ => [2, 4, 8], AllowMultipleArgumentsPerToken = true };
        var cpus = new Option<string>("--node-cpus") { Description = "The CPUs (taskset's list) every node and every exporter is pinned to; run this driver on another (taskset). Defaults to 0.", DefaultValueFactory = _ => "0" };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds per N; each runs every variant once. Defaults to 15.", DefaultValueFactory = _ => 15 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of unrecorded checks per N before the rounds (at least 3 passes of every variant). Defaults to 10.", DefaultValueFactory = _ => 10.0 };
        var concurrency = new Option<int>("--concurrency") { Description = "Probes in flight per exporter, at most (the runner's probes:maxConcurrent is 64). Defaults to 64.", DefaultValueFactory = _ => 64 };
        var quiet = new Option<double>("--quiet-cores") { Description = "Before each check, wait until the rest of the machine uses less than this many cores (0: do not wait). Defaults to 0.5.", DefaultValueFactory = _ => 0.5 };
        var quietWait = new Option<double>("--quiet-wait") { Description = "Longest wait for that, in seconds. Defaults to 1.5.", DefaultValueFactory = _ => 1.5 };
        var gap = new Option<double>("--gap") { Description = "Least seconds between two of our checks (the runner's probes:minInterval is 1 s). Defaults to 1.1.", DefaultValueFactory = _ => 1.1 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of markdown tables." };
        var output = new Option<string?>("--output") { Description = "Also write the JSON report to this file." };

        sizes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int[]>() is not { Length: > 0 } values || values.Any(n => n is < 1 or > 9))
            {
                result.AddError("--nodes takes sizes 1-9 (echo services on 127.0.K.1, members named m1-m9).");
            }
        });
        foreach (var option in (Option<int>[])[rounds, concurrency])
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 1)
                {
                    result.AddError($"{option.Name} must be at least 1.");
                }
            });
        }
        foreach (var option in (Option<double>[])[warmup, quietWait, gap])
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<double>() < 0)
                {
                    result.AddError($"{option.Name} cannot be negative.");
                }
            });
        }

        var command = new Command("mesh", "Full-mesh checks end to end: N agent run nodes probing each other's echo services through POST /api/checks, against N blackbox_exporters doing the same probes.")
        {
            agent, blackbox, sizes, cpus, rounds, warmup, concurrency, quiet, quietWait, gap, json, output,
        };
        command.SetAction(async (parse, _) => await MeshDriver.RunAsync(new MeshSettings(
            Path.GetFullPath(parse.GetValue(agent)!),
            parse.GetValue(blackbox)!,
            parse.GetValue(sizes)!,
            parse.GetValue(cpus)!,
            parse.GetValue(rounds),
            TimeSpan.FromSeconds(parse.GetValue(warmup)),
            parse.GetValue(concurrency),
            parse.GetValue(quiet),
            TimeSpan.FromSeconds(parse.GetValue(quietWait)),
            TimeSpan.FromSeconds(parse.GetValue(gap)),
            parse.GetValue(json),
            parse.GetValue(output),
            $"Agent.Bench.Checks {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}".TrimEnd())));
        return command;
    }
}
