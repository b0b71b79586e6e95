using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Actors.Io;
using Agent.Clients;
using Agent.Output;
using Akka.Actor;

namespace Agent.Cli;

/// <summary><c>agent socketpair [--type stream|dgram] [MESSAGE] [--timeout S] [--json]</c>: the seed's parent and child over a socketpair.</summary>
internal static class SocketPairCommand
{
    public static Command Create()
    {
        var message = new Argument<string>("MESSAGE") { Description = "What the parent sends.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "ping" };
        var reply = new Option<string>("--reply") { Description = "What the child answers.", DefaultValueFactory = _ => "pong" };
        var type = new Option<string>("--type") { Description = "Socket type of the pair.", DefaultValueFactory = _ => "stream" };
        type.AcceptOnlyFromAmong("stream", "dgram");
        var timeout = new Option<double>("--timeout") { Description = "Seconds for the whole exchange.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the seed's transcript." };
        var command = new Command("socketpair", "socketpair(): a parent and a child exchange a message and an answer, as the seed's socket_socketpair.py does.")
        {
            message, reply, type, timeout, json,
        };
        command.SetAction(async (result, _) =>
        {
            var seconds = result.GetValue(timeout);
            if (CliOptions.ExchangeTimeoutProblem(seconds) is { } problem)
            {
                return CliOutput.Usage(problem);
            }
            return await RunAsync(Encoding.UTF8.GetBytes(result.GetValue(message) ?? "ping"), Encoding.UTF8.GetBytes(result.GetValue(reply) ?? "pong"),
                result.GetValue(type) == "dgram", TimeSpan.FromSeconds(seconds), result.GetValue(json));
        });
        return command;
    }

    private static async Task<int> RunAsync(byte[] message, byte[] reply, bool datagram, TimeSpan timeout, bool json)
    {
        var done = new TaskCompletionSource<SocketPairOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcome = await CliSystem.RunAsync("agent-socketpair", system =>
        {
            system.ActorOf(SocketPairExchange.Props(system.ActorOf(IoManager.Props(), "io"), datagram, message, reply, timeout, Print, done), "exchange");
            return done.Task;
        });

        void Print(string line)
        {
            if (!json)
            {
                Console.WriteLine(line);
            }
        }

        if (json)
        {
            var result = new JsonObject { ["family"] = outcome.Socket?.Family, ["type"] = outcome.Socket?.Type };
            if (outcome.Error is { } error)
            {
                PythonJson.AddError(result, error);
            }
            result["sent"] = Encoding.UTF8.GetString(message);
            result["child_received"] = SocketPairOutcome.Text(outcome.ChildReceived);
            result["reply"] = Encoding.UTF8.GetString(reply);
            result["parent_received"] = SocketPairOutcome.Text(outcome.ParentReceived);
            Console.WriteLine(result.ToJsonString());
        }
        else if (outcome.Error is { } error)
        {
            await Console.Error.WriteLineAsync($"agent: {error}");
        }
        return outcome.Error is null ? ExitCodes.Success : ExitCodes.Failure;
    }
}
