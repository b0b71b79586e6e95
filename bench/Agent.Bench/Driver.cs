using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Agent.Bench;

/// <summary>
/// Runs every figure in fresh processes (this executable with <c>--case NAME</c>), in rounds so
/// a burst of outside load spreads over figures instead of sinking one, and reports medians.
/// </summary>
internal static class Driver
{
    public static async Task<int> RunAsync(IReadOnlyList<string> names, int runs, BenchSettings settings, bool json)
    {
        var cases = new List<BenchCase>();
        foreach (var name in names)
        {
            var found = BenchCases.Find(name);
            if (found is null)
            {
                await Console.Error.WriteLineAsync($"Agent.Bench: unknown case '{name}'; known: {string.Join(", ", BenchCases.Names)}");
                return 2;
            }
            cases.Add(found);
        }

        var results = cases.ToDictionary(c => c.Name, _ => new List<CaseResult>());
        var errors = cases.ToDictionary(c => c.Name, _ => new List<string>());
        for (var round = 1; round <= runs; round++)
        {
            foreach (var benchCase in cases)
            {
                await Console.Error.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] {benchCase.Name}: run {round} of {runs}");
                var (result, error) = await RunQuietlyAsync(benchCase.Name, settings);
                if (result is not null)
                {
                    results[benchCase.Name].Add(result);
                    await Console.Error.WriteLineAsync($"    {BenchFormat.Value(result.Value, result.Unit)}");
                }
                else
                {
                    errors[benchCase.Name].Add(error ?? "no result");
                    await Console.Error.WriteLineAsync($"    failed: {error}");
                }
            }
        }

        var figures = cases.Select(c =>
        {
            var runsOfCase = results[c.Name];
            double? median = runsOfCase.Count == 0 ? null : Median(runsOfCase.Select(r => r.Value));
            return new FigureReport(c.Name, c.Figure, c.Unit, median, c.AkkaBar, c.Target, c.HigherIsBetter,
                median is { } m ? c.Met(m) : null, runsOfCase, errors[c.Name]);
        }).ToList();

        var method = string.Create(CultureInfo.InvariantCulture,
            $"{AkkaVersion.Text}, {BenchSystem.Describe(settings.Throughput)}; fresh process per run, {settings.Warmup.TotalSeconds:0.#} s warm-up, {settings.Measure.TotalSeconds:0.#} s measure, median of {runs}, Release, workstation non-concurrent GC, pre-allocated messages, {settings.Actors:N0} actors for spawn/memory");
        var report = new BenchReport(MachineInfo.Read(), method, figures);
        Console.WriteLine(json ? JsonSerializer.Serialize(report, BenchJsonContext.Indented.BenchReport) : Markdown(report));
        return figures.Any(f => f.Errors.Count > 0) ? 1 : 0;
    }

    /// <summary>
    /// Waits (bounded) for the other processes on the machine to go quiet, runs the figure, and
    /// runs it again (at most twice more) when others took more than the quiet threshold during
    /// the measurement; keeps the run with the least outside load. The figure's evidence shows
    /// that load, so a noisy result is visible rather than silently kept.
    /// </summary>
    private static async Task<(CaseResult? Result, string? Error)> RunQuietlyAsync(string name, BenchSettings settings)
    {
        CaseResult? best = null;
        string? error = null;
        for (var attempt = 1; attempt <= 1 + settings.NoisyRetries; attempt++)
        {
            await WaitForQuietAsync(settings);
            var (result, runError) = await RunChildAsync(name, settings);
            if (result is null)
            {
                error = runError;
                continue;
            }
            if (best is null || result.OtherCores < best.OtherCores)
            {
                best = result;
            }
            // Retained bytes per actor do not depend on outside load: never worth a second run.
            if (result.OtherCores <= settings.QuietCores || attempt > settings.NoisyRetries || name == "memory")
            {
                break;
            }
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"    other processes used {result.OtherCores:0.00} cores during the measurement ({BenchFormat.Value(result.Value, result.Unit)}); measuring again"));
        }
        return best is not null ? (best, null) : (null, error);
    }

    private static async Task WaitForQuietAsync(BenchSettings settings)
    {
        var deadline = DateTime.UtcNow + settings.QuietWait;
        double busy;
        while ((busy = await MachineCpu.BusyCoresAsync(TimeSpan.FromSeconds(1))) > settings.QuietCores && DateTime.UtcNow < deadline)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"    machine busy ({busy:0.00} cores); waiting"));
            await Task.Delay(TimeSpan.FromSeconds(4));
        }
    }

    private static async Task<(CaseResult? Result, string? Error)> RunChildAsync(string name, BenchSettings settings)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // Under `dotnet Agent.Bench.dll` the process is the dotnet host: pass it our assembly.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Driver).Assembly.Location);
        }
        foreach (var arg in new[]
        {
            "--case", name,
            "--warmup", settings.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--measure", settings.Measure.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--actors", settings.Actors.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }
        if (settings.Throughput is { } throughput)
        {
            start.ArgumentList.Add("--throughput");
            start.ArgumentList.Add(throughput.ToString(CultureInfo.InvariantCulture));
        }
        // The runtimeconfig already says so; the environment makes sure nothing overrides it.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_gcConcurrent"] = "0";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();
        var limit = settings.Warmup + settings.Measure + TimeSpan.FromMinutes(10);
        using var timeout = new CancellationTokenSource(limit);
        CaseResult? result = null;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(CaseRunner.ResultPrefix, StringComparison.Ordinal))
                {
                    result = JsonSerializer.Deserialize(line[CaseRunner.ResultPrefix.Length..], BenchJsonContext.Default.CaseResult);
                }
                else
                {
                    await Console.Error.WriteLineAsync("    " + line);
                }
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (null, $"no result within {limit.TotalMinutes:0} min; killed");
        }
        return process.ExitCode == 0 && result is not null
            ? (result, null)
            : (null, $"exit code {process.ExitCode}" + (result is null ? ", no RESULT line" : ""));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Markdown(BenchReport report)
    {
        var m = report.Machine;
        var lines = new List<string>
        {
            $"Machine: {m.ProcessorCount} logical CPUs, {m.CpuModel}, {m.Memory}, {m.Runtime}, {m.Os}, GC {m.Gc}",
            $"Method: {report.Method}",
            "",
            $"| figure | {AkkaVersion.Text} (median) | runs | Akka.NET 1.5.30 here | Agent target | target met |",
            "|---|---|---|---|---|---|",
        };
        foreach (var f in report.Figures)
        {
            var benchCase = BenchCases.Find(f.Case)!;
            var median = f.Median is { } v ? BenchFormat.Value(v, f.Unit) : "failed";
            var runs = string.Join(" / ", f.Runs.Select(r => BenchFormat.Value(r.Value, r.Unit).Split(' ')[0] + Suffix(r.Value, r.Unit)));
            var met = f.TargetMet switch { true => "yes", false => "**no**", null => "n/a" };
            lines.Add($"| {f.Figure} | {median} | {runs} | {benchCase.AkkaBarText} | {benchCase.TargetText} | {met} |");
        }
        lines.Add("");
        lines.Add("Evidence per figure (run closest to the median), over the measured interval: bytes allocated per operation on all threads,");
        lines.Add("GC pause time as a share of the interval,");
        lines.Add("GCs, cores' worth of CPU used by the benchmark process and by other processes on the machine (0.00 = a quiet machine),");
        lines.Add("and the benchmark process's CPU time per operation (less sensitive to outside load than the rate).");
        lines.Add("");
        lines.Add("| figure | allocated B/op | gen0 / gen1 / gen2 GCs | GC pause | CPU: own / others (cores) | own CPU ns/op | operations | seconds | note |");
        lines.Add("|---|---|---|---|---|---|---|---|---|");
        foreach (var f in report.Figures)
        {
            if (f.Median is not { } median)
            {
                lines.Add($"| {f.Figure} | | | | | | | | {string.Join("; ", f.Errors)} |");
                continue;
            }
            var r = f.Runs.MinBy(x => Math.Abs(x.Value - median))!;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {f.Figure} | {r.AllocatedBytesPerOp:0.0} | {r.Gen0} / {r.Gen1} / {r.Gen2} | {r.GcPausePercent:0.0} % | {r.OwnCores:0.00} / {r.OtherCores:0.00} | {r.OwnCores * r.Seconds * 1e9 / Math.Max(1, r.Operations):0} | {r.Operations:N0} | {r.Seconds:0.000} | {r.Note} |"));
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static string Suffix(double value, string unit) =>
        unit.StartsWith('B') ? "" : value >= 1e6 ? " M" : value >= 1e3 ? " k" : "";
}
