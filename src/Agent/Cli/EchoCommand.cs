using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Actors.Io;
using Agent.Clients;
using Agent.Messages;
using Agent.Messages.Io;
using Agent.Output;

namespace Agent.Cli;

/// <summary><c>agent echo ENDPOINT [MESSAGE] [--chunk N] [--timeout S] [--json]</c>: the seeds' echo client.</summary>
internal static class EchoCommand
{
    /// <summary>The seeds' message.</summary>
    public const string DefaultMessage = "This is the message.  It will be repeated.";

    public static Command Create()
    {
        var endpoint = new Argument<string>("ENDPOINT") { Description = "tcp:HOST:PORT, udp:HOST:PORT, unix:PATH or unix-dgram:PATH" };
        var message = new Argument<string>("MESSAGE") { Description = "What to send.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultMessage };
        var chunk = new Option<int>("--chunk") { Description = "recv() size for stream sockets (the seeds use 16).", DefaultValueFactory = _ => 16 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds for the whole exchange.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the seed's transcript." };
        var command = new Command("echo", "Send a message to an echo service and check that it comes back intact.") { endpoint, message, chunk, timeout, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var text = result.GetValue(endpoint)!;
            if (!Endpoint.TryParse(text, out var target, out var error))
            {
                await Console.Error.WriteLineAsync($"agent: {error}");
                return ExitCodes.Usage;
            }
            var payload = Encoding.UTF8.GetBytes(result.GetValue(message) ?? DefaultMessage);
            var chunkSize = result.GetValue(chunk);
            var seconds = result.GetValue(timeout);
            if (Validate(target, payload.Length, chunkSize, seconds) is { } problem)
            {
                await Console.Error.WriteLineAsync($"agent: {problem}");
                return ExitCodes.Usage;
            }
            return await RunAsync(target, payload, chunkSize, TimeSpan.FromSeconds(seconds), result.GetValue(json));
        });
        return command;
    }

    private static string? Validate(Endpoint target, int length, int chunk, double seconds)
    {
        if (chunk is < 1 or > 16 * 1024 * 1024)
        {
            return $"--chunk must be 1-16777216, got {chunk}";
        }
        if (CliOptions.ExchangeTimeoutProblem(seconds) is { } problem)
        {
            return problem;
        }
        if (target.Kind == EndpointKind.Udp && length > (target.Host.Contains(':', StringComparison.Ordinal) ? SockDgram.MaxIPv6Payload : SockDgram.MaxIPv4Payload))
        {
            return $"payload too large for one UDP datagram: {length} bytes (at most {(target.Host.Contains(':', StringComparison.Ordinal) ? SockDgram.MaxIPv6Payload : SockDgram.MaxIPv4Payload)})";
        }
        if (target.IsUnix && (target.Path.Length == 0 || (!target.IsAbstract && UnixNode.CheckDirectory(target.Path) is not null)))
        {
            return target.Path.Length == 0 ? $"{target}: a Unix endpoint needs a path" : $"{target}: directory of '{target.Path}' does not exist";
        }
        return null;
    }

    private static async Task<int> RunAsync(Endpoint target, byte[] payload, int chunk, TimeSpan timeout, bool json)
    {
        if (!json)
        {
            Console.WriteLine($"connecting to {target}");
        }
        var connected = false;
        var done = new TaskCompletionSource<EchoOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcome = await CliSystem.RunAsync("agent-echo", system =>
        {
            system.ActorOf(EchoClient.Props(system.ActorOf(IoManager.Props(), "io"), target, payload, chunk, timeout, OnSending, OnChunk, done), "echo-client");
            return done.Task;
        });

        void OnSending()
        {
            connected = true;
            if (!json)
            {
                Console.WriteLine($"sending {PythonRepr.Bytes(payload)}");
            }
        }

        void OnChunk(byte[] data)
        {
            if (!json)
            {
                Console.WriteLine($"received {PythonRepr.Bytes(data)}");
            }
        }

        var received = outcome.Received;
        var error = outcome.Error
            ?? (received.AsSpan().SequenceEqual(payload) ? null : new PythonError("ValueError", null, $"echoed data differs: sent {payload.Length} bytes, received {received.Length}"));
        if (json)
        {
            Console.WriteLine(ToJson(target, payload, outcome, error));
        }
        else
        {
            // The seed client connects before its try/finally: a failed connect prints no "closing socket".
            if (connected)
            {
                Console.WriteLine("closing socket");
            }
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"agent: {error}");
            }
        }
        return error is null ? ExitCodes.Success : error.Errno == OsErrors.EMSGSIZE ? ExitCodes.Usage : ExitCodes.Failure;
    }

    private static string ToJson(Endpoint target, byte[] payload, EchoOutcome outcome, PythonError? error)
    {
        var result = new JsonObject { ["endpoint"] = target.ToString() };
        if (error is not null)
        {
            return PythonJson.AddError(result, error).ToJsonString();
        }
        PythonJson.AddSocket(result, outcome.Socket!);
        result["sent"] = Encoding.UTF8.GetString(payload);
        result["received"] = Encoding.UTF8.GetString(outcome.Received);
        result["chunks"] = new JsonArray([.. outcome.Chunks.Select(c => (JsonNode)Encoding.UTF8.GetString(c))]);
        result["rtt_ms"] = Math.Round(outcome.RttMs, 3);
        return result.ToJsonString();
    }
}
