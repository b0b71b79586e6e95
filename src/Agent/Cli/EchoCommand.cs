using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Actors.Io;
using Agent.Clients;
using Agent.Messages;
using Agent.Messages.Io;
using Agent.Messages.Requests;
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
        var remote = RemoteOptions.Create();
        remote.AddTo(command);
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
            var remotely = remote.Requested(result);
            if (((remotely ? EchoProbe.SizeProblem(payload.Length, chunkSize) : null) ?? Problem(target, payload.Length, chunkSize, seconds, checkDirectory: !remotely)) is { } problem)
            {
                await Console.Error.WriteLineAsync($"agent: {problem}");
                return ExitCodes.Usage;
            }
            if (remotely)
            {
                var probe = new EchoProbe(target, payload, chunkSize, TimeSpan.FromSeconds(seconds));
                return await remote.RunAsync(result, "echo", Node.RemoteRequests.Body(probe), result.GetValue(json), cancellationToken, seconds);
            }
            return await RunAsync(target, payload, chunkSize, TimeSpan.FromSeconds(seconds), result.GetValue(json));
        });
        return command;
    }

    /// <summary>
    /// What is wrong with an echo exchange's arguments; null when it can run. A Unix path's directory is checked only where
    /// the exchange runs (<paramref name="checkDirectory"/>): another node's file system is its own.
    /// </summary>
    public static string? Problem(Endpoint target, int length, int chunk, double seconds, bool checkDirectory = true)
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
        if (target.IsUnix && (target.Path.Length == 0 || (checkDirectory && !target.IsAbstract && UnixNode.CheckDirectory(target.Path) is not null)))
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

        var output = Render(target, payload, outcome);
        if (json)
        {
            Console.WriteLine(output.Json.ToJsonString());
        }
        else
        {
            // The seed client connects before its try/finally: a failed connect prints no "closing socket".
            if (connected)
            {
                Console.WriteLine("closing socket");
            }
            if (output.Error is not null)
            {
                await Console.Error.WriteLineAsync(output.Error);
            }
        }
        return output.ExitCode;
    }

    /// <summary>What an echo exchange prints: the seed's transcript, or the JSON object; the error line when it failed.</summary>
    public static CommandOutput Render(Endpoint target, byte[] payload, EchoReport report) =>
        Render(target, payload, new EchoOutcome(report.Socket, [.. report.Chunks.Select(chunk => chunk.ToArray())], report.RttMs,
            report.Error ?? (report.Socket is null ? new PythonError("OSError", null, "the echo report names no socket and no error") : null)));

    private static CommandOutput Render(Endpoint target, byte[] payload, EchoOutcome outcome)
    {
        var received = outcome.Received;
        var error = outcome.Error
            ?? (received.AsSpan().SequenceEqual(payload) ? null : new PythonError("ValueError", null, $"echoed data differs: sent {payload.Length} bytes, received {received.Length}"));
        var transcript = new StringBuilder().AppendLine($"connecting to {target}");
        if (outcome.Socket is not null)
        {
            transcript.AppendLine($"sending {PythonRepr.Bytes(payload)}");
            foreach (var chunk in outcome.Chunks)
            {
                transcript.AppendLine($"received {PythonRepr.Bytes(chunk)}");
            }
            transcript.AppendLine("closing socket");
        }
        var exit = error is null ? ExitCodes.Success : error.Errno == OsErrors.EMSGSIZE ? ExitCodes.Usage : ExitCodes.Failure;
        return new CommandOutput(exit, ToJson(target, payload, outcome, error), transcript.ToString().TrimEnd(), error is null ? null : $"agent: {error}");
    }

    private static JsonObject ToJson(Endpoint target, byte[] payload, EchoOutcome outcome, PythonError? error)
    {
        var result = new JsonObject { ["endpoint"] = target.ToString() };
        if (error is not null)
        {
            return PythonJson.AddError(result, error);
        }
        PythonJson.AddSocket(result, outcome.Socket!);
        result["sent"] = Encoding.UTF8.GetString(payload);
        result["received"] = Encoding.UTF8.GetString(outcome.Received);
        result["chunks"] = new JsonArray([.. outcome.Chunks.Select(c => (JsonNode)Encoding.UTF8.GetString(c))]);
        result["rtt_ms"] = Math.Round(outcome.RttMs, 3);
        return result;
    }
}
