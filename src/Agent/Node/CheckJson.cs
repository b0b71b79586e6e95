using System.Text.Json.Nodes;
using Agent.Messages.Checks;
using Agent.Output;

namespace Agent.Node;

/// <summary>
/// The JSON of a check (docs/checks.md), one writer for the API and the CLI: each cell is
/// <c>{"node", "target", "ok", "latency_ms", "address", "error", "attempts", "duration_ms", "cached"}</c> plus <c>families</c>,
/// <c>dns</c> and <c>datagrams</c> where the probe has them; <c>error</c> is null or the CLI's error object. The whole
/// check is <c>{"nodes", "targets", "results", "summary": {"ok", "failed"}}</c>, results in node then target order.
/// </summary>
internal static class CheckJson
{
    /// <summary>The cell of <paramref name="node"/>'s <paramref name="result"/>.</summary>
    public static JsonObject Cell(string node, ProbeResult result)
    {
        var cell = new JsonObject { ["node"] = node, ["target"] = result.Target.ToString() };
        Outcome(cell, result.Ok, result.LatencyMs, result.Address, result.Error, result.Attempts, result.Dns, result.Datagrams);
        cell["duration_ms"] = result.DurationMs is { } duration ? Math.Round(duration, 3) : null;
        cell["cached"] = result.Cached;
        if (result.Families is { } families)
        {
            cell["families"] = new JsonArray([.. families.Select(family =>
            {
                var one = new JsonObject { ["family"] = FamilyModes.Name(family.Family) };
                return (JsonNode)Outcome(one, family.Ok, family.LatencyMs, family.Address, family.Error, family.Attempts, family.Dns, family.Datagrams);
            })]);
        }
        return cell;
    }

    /// <summary>
    /// The whole check: <paramref name="cells"/> (any order, one per node and target) sorted into the order of
    /// <paramref name="nodes"/> then <paramref name="targets"/>, and the summary.
    /// </summary>
    public static JsonObject Matrix(IReadOnlyList<string> nodes, IReadOnlyList<string> targets, IEnumerable<JsonObject> cells)
    {
        var nodeOrder = nodes.Select((name, i) => (name, i)).ToDictionary(e => e.name, e => e.i, StringComparer.Ordinal);
        var targetOrder = targets.Select((target, i) => (target, i)).ToDictionary(e => e.target, e => e.i, StringComparer.Ordinal);
        var sorted = cells
            .OrderBy(cell => nodeOrder.GetValueOrDefault(cell["node"]!.GetValue<string>(), int.MaxValue))
            .ThenBy(cell => targetOrder.GetValueOrDefault(cell["target"]!.GetValue<string>(), int.MaxValue))
            .ToList();
        var ok = sorted.Count(cell => cell["ok"]!.GetValue<bool>());
        return new JsonObject
        {
            ["nodes"] = Strings(nodes),
            ["targets"] = Strings(targets),
            ["results"] = new JsonArray([.. sorted.Select(cell => cell.DeepClone())]),
            ["summary"] = new JsonObject { ["ok"] = ok, ["failed"] = sorted.Count - ok },
        };
    }

    /// <summary>A JSON array of <paramref name="values"/>.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode)value)]);

    private static JsonObject Outcome(JsonObject target, bool ok, double? latencyMs, string? address, Messages.PythonError? error, int attempts,
        DnsAnswer? dns, DatagramCounts? datagrams)
    {
        target["ok"] = ok;
        target["latency_ms"] = latencyMs is { } ms ? Math.Round(ms, 3) : null;
        target["address"] = address;
        target["error"] = error is null ? null : PythonJson.ToJson(error);
        target["attempts"] = attempts;
        if (dns is not null)
        {
            target["dns"] = new JsonObject { ["addresses"] = Strings(dns.Addresses), ["canon_name"] = dns.CanonName };
        }
        if (datagrams is not null)
        {
            target["datagrams"] = new JsonObject
            {
                ["sent"] = datagrams.Sent,
                ["received"] = datagrams.Received,
                ["lost"] = datagrams.Lost,
                ["duplicated"] = datagrams.Duplicated,
                ["reordered"] = datagrams.Reordered,
                ["late"] = datagrams.Late,
                ["corrupted"] = datagrams.Corrupted,
            };
        }
        return target;
    }
}
