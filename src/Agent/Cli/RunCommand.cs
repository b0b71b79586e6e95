using System.CommandLine;
using Agent.Node;

namespace Agent.Cli;

/// <summary>
/// <c>agent run [--config FILE] [--echo ENDPOINT]... [--chunk N] [--name NAME] [--log-level LEVEL] [--remote HOST:PORT]
/// [--seed HOST:PORT]... [--label KEY=VALUE]... [--api HOST:PORT] [--tls-cert PEM --tls-key PEM --tls-ca PEM]</c>: runs a cluster node in the foreground until SIGTERM or Ctrl-C. Options are the top configuration layer (see <see cref="NodeConfiguration"/>).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Node config (JSON) laid over the embedded config/agent.json." };
        var echo = new Option<string[]>("--echo")
        {
            Description = "Echo service endpoint (tcp:HOST:PORT, udp:HOST:PORT, unix:PATH, unix-dgram:PATH); repeatable; replaces the configured list.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var chunk = new Option<string?>("--chunk") { Description = "Read size of the stream echo services (key echoChunk; 16 reproduces the seed transcripts)." };
        var name = new Option<string?>("--name") { Description = "The node's name (key node:name)." };
        var logLevel = new Option<string?>("--log-level") { Description = $"Log level (key node:logLevel): {string.Join(", ", LogLevels.Names)}." };
        var remote = new Option<string?>("--remote") { Description = "Remoting endpoint HOST:PORT other members reach this node at (key node:remote; default 127.0.0.1:4053)." };
        var seeds = new Option<string[]>("--seed")
        {
            Description = "A member HOST:PORT to join the cluster through; repeatable; replaces the configured list (none: the node seeds itself).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var labels = new Option<string[]>("--label")
        {
            Description = "A label KEY=VALUE carried as a cluster role, for selecting nodes (key node:labels:KEY); repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var api = new Option<string?>("--api") { Description = "Where the node's HTTP API listens, HOST:PORT (key api:listen; default 127.0.0.1:9180)." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "This node's certificate, a PEM file: turns on mutual TLS between nodes (key node:tls:certificate)." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The certificate's private key, a PEM file (key node:tls:key)." };
        var tlsCa = new Option<string?>("--tls-ca") { Description = "The CA certificates peers' certificates must chain to, a PEM file (key node:tls:ca)." };
        var command = new Command("run", "Run a node in the foreground on the embedded config, a config file, AGENT_ variables and these options.")
        {
            config, echo, chunk, name, logLevel, remote, seeds, labels, api, tlsCert, tlsKey, tlsCa,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var overrides = new List<KeyValuePair<string, string?>>();
            var endpoints = result.GetValue(echo) ?? [];
            overrides.AddRange(endpoints.Select((endpoint, i) => KeyValuePair.Create($"echo:{i}", (string?)endpoint)));
            Add(overrides, "echoChunk", result.GetValue(chunk));
            Add(overrides, "node:name", result.GetValue(name));
            Add(overrides, "node:logLevel", result.GetValue(logLevel));
            Add(overrides, "node:remote", result.GetValue(remote));
            Add(overrides, "api:listen", result.GetValue(api));
            Add(overrides, "node:tls:certificate", result.GetValue(tlsCert));
            Add(overrides, "node:tls:key", result.GetValue(tlsKey));
            Add(overrides, "node:tls:ca", result.GetValue(tlsCa));
            overrides.AddRange((result.GetValue(seeds) ?? []).Select((seed, i) => KeyValuePair.Create($"node:seeds:{i}", (string?)seed)));
            foreach (var label in result.GetValue(labels) ?? [])
            {
                if (label.Split('=', 2) is not [{ Length: > 0 } key, var value])
                {
                    await Console.Error.WriteLineAsync($"agent: --label must be KEY=VALUE, got '{Messages.Endpoint.Escaped(label)}'");
                    return ExitCodes.Usage;
                }
                Add(overrides, $"node:labels:{key}", value);
            }
            NodeOptions? options;
            IReadOnlyList<string> errors;
            var file = result.GetValue(config);
            try
            {
                (options, errors) = NodeConfiguration.Bind(NodeConfiguration.Build(file?.FullName, overrides));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // A JSON syntax error arrives as InvalidDataException naming the file; the innermost exception says where.
                var cause = e;
                while (cause.InnerException is { } inner)
                {
                    cause = inner;
                }
                await Console.Error.WriteLineAsync($"agent: config: {e.Message}{(cause == e ? "" : " " + cause.Message)}");
                return ExitCodes.Usage;
            }
            if (options is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"agent: config: {error}");
                }
                return ExitCodes.Usage;
            }
            return await NodeHost.RunAsync(options, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    private static void Add(List<KeyValuePair<string, string?>> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides.Add(KeyValuePair.Create(key, (string?)value));
        }
    }
}
