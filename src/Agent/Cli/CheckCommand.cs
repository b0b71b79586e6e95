using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Agent.Clients;
using Agent.Messages;
using Agent.Messages.Checks;
using Agent.Node;
using Spectre.Console;

namespace Agent.Cli;

/// <summary>
/// <c>agent check [TARGET...] [--targets FILE] [--from all|NODE,...|KEY=VALUE] [--timeout S] [--retries N] [--family F]
/// [--payload-size N] [--api HOST:PORT] [--json]</c>: every target probed from every chosen cluster member at once, through a node's API
/// (<c>POST /api/checks</c>, streamed). On a terminal a progress bar runs while the cells arrive; then the matrix (a cell
/// is <c>ok</c> and the latency, or the error's name), each failure in full, and a summary line. <c>--json</c> prints
/// the check's JSON (docs/checks.md). Exit 0 when every cell is ok, 1 when any failed, 2 for bad input.
/// </summary>
internal static class CheckCommand
{
    // How much longer than the check's deadline the CLI waits for the node to finish its answer.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    // Beyond this many targets the matrix turns: one row per target, one column per node.
    private const int MaxTargetColumns = 8;

    public static Command Create()
    {
        var targets = new Argument<string[]>("TARGET")
        {
            Description = "dns:NAME, tcp:HOST:PORT, tcp-echo:HOST:PORT, udp-echo:HOST:PORT, unix-echo:PATH or unix-dgram-echo:PATH.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var file = new Option<FileInfo?>("--targets")
        {
            HelpName = "FILE",
            Description = "A targets file (JSON, or YAML when named .yaml/.yml): {defaults, targets}, each target a string or an object with its own options (config/targets.example.json).",
        };
        var from = new Option<string>("--from")
        {
            HelpName = "all|NODE,...|KEY=VALUE",
            Description = "Probe from these cluster members: all, or NODE and KEY=VALUE (every member with that label), comma-separated.",
            DefaultValueFactory = _ => "all",
        };
        var timeout = new Option<double>("--timeout") { HelpName = "SECONDS", Description = "Seconds one probe attempt may take (at most 300).", DefaultValueFactory = _ => ProbeOptions.Default.Timeout.TotalSeconds };
        var retries = new Option<int>("--retries") { Description = $"Attempts run again after a failed one (0-{ProbeOptions.MaxRetries}).", DefaultValueFactory = _ => 0 };
        var family = new Option<string>("--family") { Description = "Address families: any (Happy Eyeballs), ip4, ip6, or both (each measured).", DefaultValueFactory = _ => "any" };
        family.AcceptOnlyFromAmong([.. FamilyModes.Names]);
        var payload = new Option<int>("--payload-size") { Description = $"Bytes each echo probe sends (1-{ProbeOptions.MaxPayloadSize}).", DefaultValueFactory = _ => ProbeOptions.Default.PayloadSize };
        var api = CliOptions.Api();
        var json = new Option<bool>("--json") { Description = "Print the matrix as one JSON object: nodes, targets, one result per node and target, summary." };
        var command = new Command("check", "Probe targets from cluster members at once and print the node x target matrix (through a node's API).")
        {
            targets, file, from, timeout, retries, family, payload, api, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0 && seconds <= ProbeOptions.MaxTimeout.TotalSeconds))
            {
                return CliOutput.Usage(string.Create(CultureInfo.InvariantCulture, $"--timeout must be above 0 and at most {ProbeOptions.MaxTimeout.TotalSeconds} s, got {seconds}"));
            }
            var options = new ProbeOptions(TimeSpan.FromSeconds(seconds), parse.GetValue(retries), parse.GetValue(payload),
                FamilyModes.TryParse(parse.GetValue(family), out var mode) ? mode : FamilyMode.Any);
            if (options.Validate() is { } problem)
            {
                return CliOutput.Usage(OptionName(problem));
            }
            var probes = new List<RunProbe>();
            foreach (var text in parse.GetValue(targets) ?? [])
            {
                if (!ProbeTarget.TryParse(text, out var target, out var error))
                {
                    return CliOutput.Usage(error);
                }
                probes.Add(new RunProbe(target, options));
            }
            if (parse.GetValue(file) is { } targetsFile)
            {
                try
                {
                    probes.AddRange(CheckTargets.ReadFile(await ReadTargetsFileAsync(targetsFile, cancellationToken), targetsFile.Name, options));
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    return CliOutput.Usage($"--targets {targetsFile}: {e.Message}");
                }
            }
            if (probes.Count == 0)
            {
                return CliOutput.Usage("give at least one TARGET or --targets FILE");
            }
            if (probes.GroupBy(probe => probe.Target).FirstOrDefault(group => group.Count() > 1) is { } twice)
            {
                return CliOutput.Usage($"target {twice.Key} is given twice");
            }
            if (probes.Count > CheckApi.MaxTargets)
            {
                return CliOutput.Usage($"a check probes at most {CheckApi.MaxTargets} targets, got {probes.Count}");
            }
            var selectors = parse.GetValue(from)!.Split(',', StringSplitOptions.TrimEntries);
            if (RemoteOptions.SelectorProblem("--from", selectors) is { } fromProblem)
            {
                return CliOutput.Usage(fromProblem);
            }
            var address = parse.GetValue(api)!;
            if (NodeApiClient.AddressProblem(address) is { } addressProblem)
            {
                return CliOutput.Usage(addressProblem);
            }
            var body = new JsonObject
            {
                ["from"] = selectors is ["all"] ? "all" : CheckJson.Strings(selectors),
                ["targets"] = new JsonArray([.. probes.Select(probe => probe.EffectiveOptions == options ? (JsonNode)probe.Target.ToString() : Entry(probe))]),
                ["defaults"] = Options(new JsonObject(), options),
                ["stream"] = true,
            };
            return await RunAsync(address, body, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    // The largest targets file read: 2,000 targets with options and scripts fit many times over.
    private const int MaxFileBytes = 16 * 1024 * 1024;

    private static async Task<string> ReadTargetsFileAsync(FileInfo file, CancellationToken cancellationToken)
    {
        await using var stream = file.OpenRead();
        var bytes = new byte[MaxFileBytes + 1];
        var length = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
        return length > MaxFileBytes
            ? throw new FormatException($"over the {MaxFileBytes / 1024 / 1024} MiB a targets file may hold")
            : System.Text.Encoding.UTF8.GetString(bytes, 0, length);
    }

    // A target whose options differ from the check's defaults, as a targets file entry with every option spelled out.
    private static JsonObject Entry(RunProbe probe)
    {
        var entry = Options(new JsonObject { ["target"] = probe.Target.ToString() }, probe.EffectiveOptions);
        if (probe.EffectiveOptions.QueryResponse is { } script)
        {
            entry["query_response"] = System.Text.Json.JsonSerializer.SerializeToNode(script, ChecksJsonContext.Default.QueryResponse);
        }
        return entry;
    }

    private static JsonObject Options(JsonObject target, ProbeOptions options)
    {
        target["timeout"] = options.Timeout.TotalSeconds;
        target["retries"] = options.Retries;
        target["payload_size"] = options.PayloadSize;
        target["family"] = FamilyModes.Name(options.Family);
        return target;
    }

    // ProbeOptions names its fields as JSON does; the CLI's user typed options.
    private static string OptionName(string problem) =>
        problem.StartsWith("payload_size", StringComparison.Ordinal) ? "--payload-size" + problem["payload_size".Length..] : "--" + problem;

    private static async Task<int> RunAsync(string address, JsonObject body, bool json, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // The node answers the check's first line as soon as it has chosen the members; the line says how long the rest may take.
        using var client = new NodeApiClient(address, NodeApi.ActorTimeout + TimeSpan.FromSeconds(10));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var live = !json && !Console.IsOutputRedirected;
        IReadOnlyList<string> nodes = [];
        IReadOnlyList<string> targets = [];
        var cells = new List<JsonObject>();
        var deadline = TimeSpan.Zero;
        var summarised = false;
        try
        {
            var lines = client.PostLinesAsync("api/checks", body, limit.Token);
            if (live)
            {
                await CliConsole.Create().Progress().AutoClear(true).StartAsync(async progress =>
                {
                    ProgressTask? task = null;
                    await foreach (var line in lines)
                    {
                        Read(line);
                        task ??= progress.AddTask($"probing {targets.Count} target(s) from {nodes.Count} node(s)", maxValue: Math.Max(nodes.Count * targets.Count, 1));
                        task.Value = cells.Count;
                    }
                });
            }
            else
            {
                await foreach (var line in lines)
                {
                    Read(line);
                }
            }
        }
        catch (NodeApiException e)
        {
            await Console.Error.WriteLineAsync($"agent: {e.Message}");
            return e.BadRequest ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"agent: the node at {address} did not finish the check within {(deadline + Slack).TotalSeconds:0.###} s (its deadline and {Slack.TotalSeconds:0} s)");
            return ExitCodes.Failure;
        }
        if (!summarised || cells.Count != nodes.Count * targets.Count)
        {
            await Console.Error.WriteLineAsync($"agent: the node at {address} ended its answer before the check did ({cells.Count} of {nodes.Count * targets.Count} results{(summarised ? "" : ", no summary")})");
            return ExitCodes.Failure;
        }
        var matrix = CheckJson.Matrix(nodes, targets, cells);
        if (json)
        {
            Console.Out.WriteLine(matrix.ToJsonString());
        }
        else
        {
            Print(matrix, clock.Elapsed);
        }
        return matrix["summary"]!["failed"]!.GetValue<int>() == 0 ? ExitCodes.Success : ExitCodes.Failure;

        void Read(JsonNode line)
        {
            if (line["check"] is { } check)
            {
                nodes = [.. check["nodes"]!.AsArray().Select(node => node!.GetValue<string>())];
                targets = [.. check["targets"]!.AsArray().Select(target => target!.GetValue<string>())];
                deadline = TimeSpan.FromSeconds(check["deadline_s"]!.GetValue<double>());
                limit.CancelAfter(deadline + Slack);
            }
            else if (line["result"] is JsonObject cell)
            {
                cells.Add((JsonObject)cell.DeepClone());
            }
            else if (line["summary"] is not null)
            {
                summarised = true;
            }
        }
    }

    // The matrix (nodes x targets, or targets x nodes when there are many targets), every failure in full, the summary.
    private static void Print(JsonObject matrix, TimeSpan elapsed)
    {
        var nodes = matrix["nodes"]!.AsArray().Select(node => node!.GetValue<string>()).ToList();
        var targets = matrix["targets"]!.AsArray().Select(target => target!.GetValue<string>()).ToList();
        var results = matrix["results"]!.AsArray().Select(cell => cell!.AsObject()).ToList();
        var byCell = results.ToDictionary(cell => (cell["node"]!.GetValue<string>(), cell["target"]!.GetValue<string>()));
        var console = CliConsole.Create();
        var byTarget = targets.Count > MaxTargetColumns;
        var (rows, columns) = byTarget ? (targets, nodes) : (nodes, targets);
        var table = new Table().Border(TableBorder.Simple).AddColumn(byTarget ? "TARGET" : "NODE");
        foreach (var column in columns)
        {
            table.AddColumn(Markup.Escape(column));
        }
        foreach (var row in rows)
        {
            var line = new List<string> { Markup.Escape(row) };
            foreach (var column in columns)
            {
                line.Add(byCell.TryGetValue(byTarget ? (column, row) : (row, column), out var cell) ? Text(cell) : "");
            }
            table.AddRow([.. line]);
        }
        console.Write(table);
        foreach (var cell in results.Where(cell => !cell["ok"]!.GetValue<bool>()))
        {
            var error = cell["error"];
            var errno = error?["errno"] is JsonValue number ? $"[Errno {number}] " : "";
            console.WriteLine($"{cell["node"]}  {cell["target"]}  {error?["error"]}: {errno}{error?["strerror"]}");
        }
        var summary = matrix["summary"]!;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary["ok"]} ok, {summary["failed"]} failed ({nodes.Count} node(s) x {targets.Count} target(s)) in {elapsed.TotalSeconds:0.00} s"));
    }

    private static string Text(JsonObject cell) =>
        cell["ok"]!.GetValue<bool>()
            ? string.Create(CultureInfo.InvariantCulture, $"[green]ok[/] {cell["latency_ms"]!.GetValue<double>():0.###} ms")
            : $"[red]{Markup.Escape(cell["error"]?["error"]?.GetValue<string>() ?? "failed")}[/]";
}
