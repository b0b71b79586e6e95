using System.CommandLine;
using System.Text.Json.Nodes;
using Agent.Actors.Cluster;
using Agent.Clients;

namespace Agent.Cli;

/// <summary>
/// <c>--on NODE|KEY=VALUE[,...]|all</c> and <c>--api HOST:PORT</c> of the lookup and socket commands: instead of running here,
/// the command goes to a node's API, which runs it on the chosen cluster members at once and answers one result per
/// member. <c>--json</c> prints one object keyed by node name whose values are what the command prints with <c>--json</c>
/// here (or the <c>NodeUnreachable</c> error object); text prints one block per node, headed by its name. Exit 0 when
/// every node succeeded, 1 when any failed, 2 for bad arguments (an unknown node included).
/// </summary>
internal sealed class RemoteOptions
{
    private readonly Option<string?> _on = new("--on") { Description = "Run on these cluster members instead of here: NODE or KEY=VALUE (every member with that label), comma-separated, or all (sent through --api)." };
    private readonly Option<string> _api = CliOptions.Api();

    private RemoteOptions()
    {
    }

    /// <summary>A fresh pair of options for one command.</summary>
    public static RemoteOptions Create() => new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_on);
        command.Options.Add(_api);
    }

    /// <summary>What is wrong with the member selectors given to <paramref name="option"/>; null when each is all, a node name or a label.</summary>
    public static string? SelectorProblem(string option, IReadOnlyList<string> selectors)
    {
        if (selectors.FirstOrDefault(name => !NodeNames.IsSelector(name)) is { } bad)
        {
            return $"{option}: '{Messages.Endpoint.Escaped(bad)}' is neither a node name (a node name {NodeNames.Rule}) nor a label KEY=VALUE; or use all";
        }
        return selectors.Count > 1 && selectors.Contains("all") ? $"{option}: all stands alone" : null;
    }

    /// <summary>True when the command is to run on cluster members.</summary>
    public bool Requested(ParseResult parse) => parse.GetValue(_on) is not null;

    /// <summary>Sends <paramref name="request"/> (see <see cref="Node.RemoteRequests"/>) of <paramref name="kind"/> and prints each node's result.</summary>
    public async Task<int> RunAsync(ParseResult parse, string kind, JsonNode request, bool json, CancellationToken cancellationToken, double timeoutSeconds = 10)
    {
        var on = parse.GetValue(_on)!;
        var names = on.Split(',', StringSplitOptions.TrimEntries);
        if (SelectorProblem("--on", names) is { } selectorProblem)
        {
            return CliOutput.Usage(selectorProblem);
        }
        var address = parse.GetValue(_api)!;
        if (NodeApiClient.AddressProblem(address) is { } problem)
        {
            return CliOutput.Usage(problem);
        }
        var body = new JsonObject
        {
            ["on"] = names is ["all"] ? "all" : new JsonArray([.. names.Select(name => (JsonNode)name)]),
            ["timeout"] = timeoutSeconds,
            ["request"] = request,
        };
        // The node waits for its members up to the timeout plus a margin; the client waits a little longer still.
        using var client = new NodeApiClient(address, TimeSpan.FromSeconds(timeoutSeconds) + Node.FanOut.Margin + TimeSpan.FromSeconds(5));
        JsonNode answer;
        try
        {
            answer = await client.PostAsync($"api/requests/{kind}", body, cancellationToken);
        }
        catch (NodeApiException e)
        {
            await Console.Error.WriteLineAsync($"agent: {e.Message}");
            return e.BadRequest ? ExitCodes.Usage : ExitCodes.Failure;
        }
        var results = answer["results"]?.AsArray() ?? [];
        if (json)
        {
            var byNode = new JsonObject();
            foreach (var result in results)
            {
                byNode[result!["node"]!.GetValue<string>()] = result["json"]?.DeepClone();
            }
            Console.Out.WriteLine(byNode.ToJsonString());
        }
        else
        {
            foreach (var result in results)
            {
                Console.Out.WriteLine($"== {result!["node"]!.GetValue<string>()} ==");
                if (result["text"]?.GetValue<string>() is { Length: > 0 } text)
                {
                    Console.Out.WriteLine(text);
                }
                if (result["error"]?.GetValue<string>() is { } error)
                {
                    Console.Out.WriteLine(error);
                }
            }
        }
        return results.All(result => result?["exit"]?.GetValue<int>() == ExitCodes.Success) ? ExitCodes.Success : ExitCodes.Failure;
    }
}
