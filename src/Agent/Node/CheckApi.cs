using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Agent.Actors.Checks;
using Agent.Actors.Cluster;
using Agent.Messages.Checks;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agent.Node;

/// <summary>
/// <c>POST /api/checks</c> (docs/api.md): probes every target from every chosen member at once through a
/// <see cref="CheckCoordinator"/> on this node, and answers the matrix (<see cref="CheckJson"/>), one cell per member and
/// target, within the check's deadline. With <c>"stream": true</c> the answer is NDJSON, one object per line as the cells
/// arrive: <c>{"check": {"nodes", "targets", "deadline_s"}}</c> first, then <c>{"result": CELL}</c> per cell, then
/// <c>{"summary": {"ok", "failed"}}</c>.
/// </summary>
internal static class CheckApi
{
    /// <summary>The most targets one check may probe.</summary>
    public const int MaxTargets = 2000;

    // The most continuous-check cells asked of one member: what its config can hold (16 checks of 2,000 targets).
    private const int MaxLatestCells = 16 * MaxTargets;

    private static readonly string[] Fields = ["from", "targets", "defaults", "stream"];

    /// <summary>Maps the endpoints; a check's deadline assumes every member runs <paramref name="maxConcurrent"/> probes at once.</summary>
    public static void Map(WebApplication app, int maxConcurrent)
    {
        app.MapPost("/api/checks", (HttpContext context, NodeSystem node) =>
            RunAsync(context, node.Members, node.System, maxConcurrent));
        app.MapGet("/api/checks/latest", (string? check, NodeSystem node, CancellationToken cancel) =>
            LatestAsync(check, node.Members, node.System, cancel));
    }

    // GET /api/checks/latest[?check=NAME]: every member's latest continuous-check cells, asked at once; a member that does not
    // answer in time gets NodeUnreachable cells for every target the others report.
    private static async Task<IResult> LatestAsync(string? check, IActorRef directory, ActorSystem system, CancellationToken cancel)
    {
        if (await NodeApi.AskAsync<MemberDirectory.MemberList>(directory, MemberDirectory.GetMembers.Instance, cancel) is not { } list)
        {
            return NodeApi.Unavailable();
        }
        if (NodeApi.Choose(list, ["all"], out var refusal) is not { } members)
        {
            return refusal!;
        }
        var answers = await Task.WhenAll(members.Select(async member =>
        {
            if (!member.Reachable)
            {
                return (Member: member, Latest: (LatestChecks?)null, Why: (string?)"it is unreachable (the failure detector lost its heartbeats)");
            }
            try
            {
                var checks = system.ActorSelection(new RootActorPath(Address.Parse(member.Address)) / "user" / ContinuousChecks.Name);
                var page = await checks.Ask<LatestChecks>(new GetLatestChecks(check), NodeApi.ActorTimeout, cancel);
                var cells = new List<LatestCell>(page.Cells);
                while (page.Next is { } next && cells.Count < MaxLatestCells)
                {
                    page = await checks.Ask<LatestChecks>(new GetLatestChecks(check, next), NodeApi.ActorTimeout, cancel);
                    cells.AddRange(page.Cells);
                }
                return (Member: member, Latest: (LatestChecks?)(page with { Cells = cells }), Why: (string?)null);
            }
            catch (AskTimeoutException)
            {
                return (Member: member, Latest: (LatestChecks?)null, Why: (string?)$"no answer within {NodeApi.ActorTimeout.TotalSeconds:0} s");
            }
        }));
        var cells = new List<JsonObject>();
        var targets = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (member, latest, _) in answers)
        {
            foreach (var cell in latest?.Cells ?? [])
            {
                var json = CheckJson.Cell(member.Name, cell.Result);
                json["check"] = cell.Check;
                json["checked_at"] = NodeApi.Timestamp(cell.Result.StartedAt);
                json["history"] = new JsonObject
                {
                    ["samples"] = cell.History.Samples,
                    ["success_ratio"] = cell.History.Samples == 0 ? null : Math.Round((double)cell.History.Ok / cell.History.Samples, 4),
                    ["p50_ms"] = Round(cell.History.P50Ms),
                    ["p90_ms"] = Round(cell.History.P90Ms),
                    ["p99_ms"] = Round(cell.History.P99Ms),
                };
                cells.Add(json);
                if (seen.Add(json["target"]!.GetValue<string>()))
                {
                    targets.Add(json["target"]!.GetValue<string>());
                }
            }
        }
        foreach (var (member, _, why) in answers.Where(answer => answer.Latest is null))
        {
            var gone = new CheckMember(member.Name, Address.Parse(member.Address), false);
            cells.AddRange(targets.Select(target => CheckJson.Cell(member.Name, CheckCoordinator.Unreachable(ProbeTarget.Parse(target), gone, why!))));
        }
        return NodeApi.Json(StatusCodes.Status200OK, CheckJson.Matrix([.. members.Select(member => member.Name)], targets, cells));
    }

    private static double? Round(double? ms) => ms is { } value ? Math.Round(value, 3) : null;

    private static async Task RunAsync(HttpContext context, IActorRef directory, ActorSystem system, int maxConcurrent)
    {
        var cancel = context.RequestAborted;
        var (fields, refusal) = await NodeApi.ReadObjectAsync(context.Request, Fields, cancel);
        if (fields is null)
        {
            await refusal!.ExecuteAsync(context);
            return;
        }
        var selectors = fields["from"] is null ? ["all"] : NodeApi.OnField(fields["from"]);
        if (selectors is null)
        {
            await NodeApi.BadRequest("from must be \"all\" or a list of node names and labels (KEY=VALUE)").ExecuteAsync(context);
            return;
        }
        var stream = false;
        if (fields["stream"] is { } streamField && (streamField is not JsonValue flag || !flag.TryGetValue(out stream)))
        {
            await NodeApi.BadRequest("stream must be true or false").ExecuteAsync(context);
            return;
        }
        if (ParseProbes(fields, out var problem) is not { } probes)
        {
            await NodeApi.BadRequest(problem!).ExecuteAsync(context);
            return;
        }
        if (await NodeApi.AskAsync<MemberDirectory.MemberList>(directory, MemberDirectory.GetMembers.Instance, cancel) is not { } list)
        {
            await NodeApi.Unavailable().ExecuteAsync(context);
            return;
        }
        if (NodeApi.Choose(list, selectors, out var notChosen) is not { } chosen)
        {
            await notChosen!.ExecuteAsync(context);
            return;
        }
        var members = chosen.Select(member => new CheckMember(member.Name, Address.Parse(member.Address), member.Reachable)).ToList();
        var nodes = members.Select(member => member.Name).ToList();
        var targets = probes.Select(probe => probe.Target.ToString()).ToList();
        var deadline = CheckCoordinator.Deadline(probes, maxConcurrent);
        var channel = Channel.CreateUnbounded<CheckCell>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var coordinator = system.ActorOf(CheckCoordinator.Props(members, probes, channel.Writer, deadline));
        // The caller went away: the coordinator stops (the members' probes finish on their own and are not waited for).
        await using var stop = cancel.Register(() => system.Stop(coordinator));
        var answered = new bool[members.Count, probes.Count];
        var cells = new List<JsonObject>(members.Count * probes.Count);
        if (stream)
        {
            context.Response.ContentType = "application/x-ndjson";
            await WriteLineAsync(context, new JsonObject
            {
                ["check"] = new JsonObject { ["nodes"] = CheckJson.Strings(nodes), ["targets"] = CheckJson.Strings(targets), ["deadline_s"] = deadline.TotalSeconds },
            }, flush: true);
        }
        while (await channel.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (channel.Reader.TryRead(out var cell))
            {
                answered[cell.Member, cell.Target] = true;
                var json = CheckJson.Cell(nodes[cell.Member], cell.Result);
                cells.Add(json);
                if (stream)
                {
                    await WriteLineAsync(context, new JsonObject { ["result"] = json }, flush: false);
                }
            }
            if (stream)
            {
                await context.Response.Body.FlushAsync(CancellationToken.None);
            }
        }
        // The coordinator writes every cell before it stops; one that stopped otherwise (a bug, or the node stopping)
        // still leaves no cell out.
        for (var m = 0; m < members.Count; m++)
        {
            for (var t = 0; t < probes.Count; t++)
            {
                if (!answered[m, t])
                {
                    var json = CheckJson.Cell(nodes[m], CheckCoordinator.Unreachable(probes[t].Target, members[m], "the check stopped before this member answered"));
                    cells.Add(json);
                    if (stream)
                    {
                        await WriteLineAsync(context, new JsonObject { ["result"] = json }, flush: false);
                    }
                }
            }
        }
        var matrix = CheckJson.Matrix(nodes, targets, cells);
        if (stream)
        {
            await WriteLineAsync(context, new JsonObject { ["summary"] = matrix["summary"]!.DeepClone() }, flush: true);
            return;
        }
        await NodeApi.Json(StatusCodes.Status200OK, matrix).ExecuteAsync(context);
    }

    // The targets with the check's defaults: the targets file's shape and reader (CheckTargets), one entry per target.
    private static IReadOnlyList<RunProbe>? ParseProbes(JsonObject fields, out string? problem)
    {
        problem = null;
        if (fields["targets"] is JsonArray { Count: > MaxTargets } many)
        {
            problem = $"a check probes at most {MaxTargets} targets, got {many.Count}";
            return null;
        }
        try
        {
            var document = new JsonObject { ["targets"] = fields["targets"]?.DeepClone() };
            if (fields["defaults"] is { } defaults)
            {
                document["defaults"] = defaults.DeepClone();
            }
            return CheckTargets.ReadDocument(document, ProbeOptions.Default);
        }
        catch (FormatException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private static async Task WriteLineAsync(HttpContext context, JsonObject line, bool flush)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n"), CancellationToken.None);
        if (flush)
        {
            await context.Response.Body.FlushAsync(CancellationToken.None);
        }
    }
}
