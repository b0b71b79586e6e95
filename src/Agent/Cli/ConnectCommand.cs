using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Actors.Io;
using Agent.Actors.Resolution;
using Agent.Messages;
using Agent.Messages.Io;
using Agent.Messages.Requests;
using Agent.Output;
using Akka.Actor;

namespace Agent.Cli;

/// <summary><c>agent connect HOST PORT [--timeout S] [--json]</c>: Python's <c>create_connection</c>, raced per RFC 8305.</summary>
internal static class ConnectCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "Name or address." };
        var port = new Argument<int>("PORT") { Description = "0-65535." };
        var timeout = new Option<double>("--timeout") { Description = "Overall deadline in seconds.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("connect", "create_connection((HOST, PORT)): print the winning socket's family/type/protocol and every attempt.") { host, port, timeout, json };
        var remote = RemoteOptions.Create();
        remote.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var portNumber = result.GetValue(port);
            var seconds = result.GetValue(timeout);
            if (Problem(portNumber, seconds) is { } problem)
            {
                return CliOutput.Usage(problem);
            }
            if (remote.Requested(result))
            {
                if (HostNameEncoding.ArgumentProblem(result.GetValue(host)) is { } hostProblem)
                {
                    return CliOutput.Usage(hostProblem);
                }
                var probe = new ConnectProbe(result.GetValue(host)!, portNumber, TimeSpan.FromSeconds(seconds));
                return await remote.RunAsync(result, "connect", Node.RemoteRequests.Body(probe), result.GetValue(json), cancellationToken, seconds);
            }
            return await RunAsync(result.GetValue(host)!, portNumber, TimeSpan.FromSeconds(seconds), result.GetValue(json));
        });
        return command;
    }

    /// <summary>What is wrong with create_connection's arguments (here or on another node); null when it can run.</summary>
    public static string? Problem(int port, double seconds) =>
        port is < 0 or > 65535 ? $"port must be 0-65535, got {port}" : CliOptions.ExchangeTimeoutProblem(seconds);

    private static async Task<int> RunAsync(string host, int port, TimeSpan timeout, bool json)
    {
        // create_connection resolves through the IO manager's resolver actors, as every lookup in the agent does.
        // The ask's temporary actor is the connection's handler: when it completes, the connection closes itself.
        var reply = await CliSystem.RunAsync("agent-connect", system =>
            system.ActorOf(IoManager.Props(resolverSettings: new ResolverSettings { Timeout = timeout }), "io")
                .Ask<object>(new SockStream.CreateConnection(host, port, timeout), timeout + TimeSpan.FromSeconds(5)));
        var report = reply switch
        {
            SockStream.Connected c => new ConnectReport(c.Socket, c.Attempts ?? [], null),
            SockStream.CommandFailed f => new ConnectReport(null, f.Attempts ?? [], f.Cause),
            _ => new ConnectReport(null, [], new PythonError("OSError", null, $"unexpected reply {reply}")),
        };
        var output = Render(host, port, report);
        Console.WriteLine(json ? output.Json.ToJsonString() : output.Text);
        return output.ExitCode;
    }

    /// <summary>What a create_connection prints: the winner and every attempt (the error too, on stdout), or the JSON object.</summary>
    public static CommandOutput Render(string host, int port, ConnectReport report) =>
        new(report.Error is null ? ExitCodes.Success : ExitCodes.Failure,
            ToJson(host, port, report.Socket, report.Attempts, report.Error),
            ToText(report.Socket, report.Attempts, report.Error),
            null);

    private static string ToText(SocketInfo? socket, IReadOnlyList<SockStream.ConnectAttempt> attempts, PythonError? error)
    {
        var text = new StringBuilder();
        if (socket is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Family  : {socket.Family}")
                .AppendLine(CultureInfo.InvariantCulture, $"Type    : {socket.Type}")
                .AppendLine(CultureInfo.InvariantCulture, $"Protocol: {(socket.Proto == 6 ? "IPPROTO_TCP" : socket.Proto.ToString(CultureInfo.InvariantCulture))}")
                .AppendLine(CultureInfo.InvariantCulture, $"Local   : {socket.Local}")
                .AppendLine(CultureInfo.InvariantCulture, $"Peer    : {socket.Peer}")
                .AppendLine();
        }
        foreach (var a in attempts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"attempt {a.Address} at +{a.StartedMs:0.0} ms: {a.Outcome} ({a.ElapsedMs:0.0} ms)");
        }
        if (error is not null)
        {
            text.Append(error);
        }
        return text.ToString().TrimEnd();
    }

    private static JsonObject ToJson(string host, int port, SocketInfo? socket, IReadOnlyList<SockStream.ConnectAttempt> attempts, PythonError? error)
    {
        var result = new JsonObject { ["host"] = host, ["port"] = port };
        if (socket is not null)
        {
            PythonJson.AddSocket(result, socket);
        }
        if (error is not null)
        {
            PythonJson.AddError(result, error);
        }
        result["attempts"] = new JsonArray([.. attempts.Select(a => (JsonNode)new JsonObject
        {
            ["address"] = a.Address.ToString(),
            ["outcome"] = a.Outcome,
            ["started_ms"] = Math.Round(a.StartedMs, 3),
            ["elapsed_ms"] = Math.Round(a.ElapsedMs, 3),
        })]);
        return result;
    }
}
