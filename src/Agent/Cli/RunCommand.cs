using System.CommandLine;
using Agent.Messages;
using Agent.Node;

namespace Agent.Cli;

/// <summary><c>agent run [--config FILE] [--echo ENDPOINT]...</c>: runs a node in the foreground until SIGTERM or Ctrl-C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Node config (JSON); defaults to the embedded config/agent.json." };
        var echo = new Option<string[]>("--echo")
        {
            Description = "Echo service endpoint (tcp:HOST:PORT, udp:HOST:PORT, unix:PATH, unix-dgram:PATH); repeatable; replaces the config's list.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var chunk = new Option<int?>("--chunk") { Description = "Read size of the echo services (16 reproduces the seed transcripts)." };
        var command = new Command("run", "Run a node in the foreground on the given (or the embedded default) config.") { config, echo, chunk };
        command.SetAction(async (result, cancellationToken) =>
        {
            NodeConfig node;
            try
            {
                var file = result.GetValue(config);
                node = file is null ? NodeConfig.Embedded() : NodeConfig.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken), file.FullName);
                var endpoints = result.GetValue(echo) ?? [];
                if (endpoints.Length > 0)
                {
                    node = node with { Echo = endpoints.Select(Endpoint.Parse).ToList() };
                }
                if (result.GetValue(chunk) is { } size)
                {
                    node = size is >= 1 and <= 16 * 1024 * 1024 ? node with { EchoChunk = size } : throw new FormatException($"--chunk must be 1-16777216, got {size}");
                }
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"agent: {e.Message}");
                return ExitCodes.Usage;
            }
            return await NodeHost.RunAsync(node, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}
