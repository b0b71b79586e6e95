using System.CommandLine;
using System.Text.Json.Nodes;
using Agent.Clients;
using Spectre.Console;

namespace Agent.Cli;

/// <summary><c>agent nodes [--api HOST:PORT] [--json]</c>: the cluster's members as a node's API sees them.</summary>
internal static class NodesCommand
{
    public static Command Create()
    {
        var json = CliOptions.Json();
        var api = CliOptions.Api();
        var timeout = CliOptions.Timeout("Seconds to wait for the node's answer.");
        var command = new Command("nodes", "List the cluster's members (name, address, status, reachability, labels) through a node's API.")
        {
            api, json, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(api)!;
            if (NodeApiClient.AddressProblem(address) is { } problem)
            {
                return CliOutput.Usage(problem);
            }
            using var client = new NodeApiClient(address, TimeSpan.FromSeconds(parse.GetValue(timeout)));
            JsonNode body;
            try
            {
                body = await client.GetAsync("api/nodes", cancellationToken);
            }
            catch (NodeApiException e)
            {
                await Console.Error.WriteLineAsync($"agent: {e.Message}");
                return ExitCodes.Failure;
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(body.ToJsonString());
                return ExitCodes.Success;
            }
            Print(body);
            return ExitCodes.Success;
        });
        return command;
    }

    // One row per member, this node marked with '*'; Spectre.Console draws the table (plain characters when redirected).
    private static void Print(JsonNode body)
    {
        var self = body["self"]?.GetValue<string>();
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("NAME", "ADDRESS", "STATUS", "REACHABLE", "LABELS", "UP SINCE");
        foreach (var member in body["members"]?.AsArray() ?? [])
        {
            var name = member?["name"]?.GetValue<string>() ?? "";
            var labels = member?["labels"]?.AsObject().Select(label => $"{label.Key}={label.Value}") ?? [];
            table.AddRow(
                Markup.Escape(name == self ? name + " *" : name),
                Markup.Escape(member?["address"]?.GetValue<string>() ?? ""),
                Markup.Escape(member?["status"]?.GetValue<string>() ?? ""),
                member?["reachable"]?.GetValue<bool>() == false ? "no" : "yes",
                Markup.Escape(string.Join(",", labels)),
                Markup.Escape(member?["up_since"]?.GetValue<string>() ?? "-"));
        }
        CliConsole.Create().Write(table);
    }
}
