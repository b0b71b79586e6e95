using System.CommandLine;
using System.Text.Json.Nodes;
using Agent.Actors.Resolution;
using Agent.Messages;
using Agent.Messages.Requests;
using Agent.Output;

namespace Agent.Cli;

/// <summary>
/// <c>agent addr ...</c>: Python's address conversion functions (no actor needed). One table serves the local command
/// and <see cref="AddrCall"/>, the same call run on another node (<c>--on</c>).
/// </summary>
internal static class AddrCommand
{
    private sealed record Function(string Description, string? Argument, bool Family, Func<string, int, (JsonNode Json, string Text)> Run);

    private static readonly Dictionary<string, Function> Functions = new(StringComparer.Ordinal)
    {
        ["aton"] = new("socket.inet_aton(addr), as hex", "ADDR", false, (a, _) => Packed(AddressFunctions.InetAton(a))),
        ["ntoa"] = new("socket.inet_ntoa(packed hex)", "HEX", false, (a, _) => Text(AddressFunctions.InetNtoa(CliArguments.Hex(a)))),
        ["pton"] = new("socket.inet_pton(family, addr), as hex", "ADDR", true, (a, f) => Packed(AddressFunctions.InetPton(f, a))),
        ["ntop"] = new("socket.inet_ntop(family, packed hex)", "HEX", true, (a, f) => Text(AddressFunctions.InetNtop(f, CliArguments.Hex(a)))),
        ["htons"] = new("socket.htons(n)", "N", false, (a, _) => Number(AddressFunctions.Htons(CliArguments.Integer(a)))),
        ["htonl"] = new("socket.htonl(n)", "N", false, (a, _) => Number(AddressFunctions.Htonl(CliArguments.Integer(a)))),
        ["ntohs"] = new("socket.ntohs(n)", "N", false, (a, _) => Number(AddressFunctions.Ntohs(CliArguments.Integer(a)))),
        ["ntohl"] = new("socket.ntohl(n)", "N", false, (a, _) => Number(AddressFunctions.Ntohl(CliArguments.Integer(a)))),
        ["nametoindex"] = new("socket.if_nametoindex(name)", "NAME", false, (a, _) => Number(AddressFunctions.IfNameToIndex(a))),
        ["indextoname"] = new("socket.if_indextoname(n)", "N", false, (a, _) => Text(AddressFunctions.IfIndexToName(CliArguments.Integer(a)))),
        ["nameindex"] = new("socket.if_nameindex()", null, false, (_, _) => NameIndex()),
    };

    public static Command Create()
    {
        var command = new Command("addr", "Address conversions as Python's socket module does them.");
        foreach (var (name, function) in Functions)
        {
            command.Subcommands.Add(Subcommand(name, function));
        }
        return command;
    }

    /// <summary>Runs <paramref name="call"/> here: the answer the command prints, or why it cannot.</summary>
    public static AddrAnswer Call(AddrCall call)
    {
        if (!Functions.TryGetValue(call.Function, out var function))
        {
            return Refused($"unknown address function '{Endpoint.Escaped(call.Function)}' (one of {string.Join(", ", Functions.Keys)})");
        }
        var family = 0;
        if (function.Family && (call.Family is not ("inet" or "inet6") || !CliArguments.Families.TryGetValue(call.Family, out family)))
        {
            return Refused($"{call.Function} needs the family inet or inet6");
        }
        if (call.Argument.Contains('\0', StringComparison.Ordinal))
        {
            return Refused("argument contains a NUL byte");
        }
        try
        {
            var (json, text) = function.Run(call.Argument, family);
            return new AddrAnswer(json.ToJsonString(), text, null);
        }
        catch (UsageException e)
        {
            return Refused(e.Message);
        }
        catch (PythonException e)
        {
            return new AddrAnswer(null, null, e.Error);
        }
    }

    /// <summary>What an <see cref="AddrAnswer"/> prints.</summary>
    public static CommandOutput Render(AddrAnswer answer) => answer switch
    {
        { BadArgument: true, Error: { } error } => CommandOutput.Usage(error.Strerror),
        { Error: { } error } => CommandOutput.Failure(error),
        { Json: { } json, Text: { } text } => CommandOutput.Success(JsonNode.Parse(json)!, text),
        _ => CommandOutput.Failure(new PythonError("ValueError", null, "an address answer without a result")),
    };

    private static AddrAnswer Refused(string message) => new(null, null, new PythonError("ValueError", null, message), BadArgument: true);

    private static Command Subcommand(string name, Function function)
    {
        var command = new Command(name, function.Description);
        var argument = function.Argument is { } argumentName ? new Argument<string>(argumentName) : null;
        var family = function.Family ? CliOptions.Family(required: true) : null;
        var json = CliOptions.Json();
        var remote = RemoteOptions.Create();
        if (argument is not null)
        {
            command.Arguments.Add(argument);
        }
        if (family is not null)
        {
            command.Options.Add(family);
        }
        command.Options.Add(json);
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var call = new AddrCall(name, argument is null ? "" : parse.GetValue(argument)!, family is null ? null : parse.GetValue(family));
            if (remote.Requested(parse))
            {
                return remote.RunAsync(parse, "addr", Node.RemoteRequests.Body(call), json: parse.GetValue(json), cancellationToken);
            }
            return Task.FromResult(Render(Call(call)).Print(parse.GetValue(json)));
        });
        return command;
    }

    private static (JsonNode, string) NameIndex()
    {
        var pairs = AddressFunctions.IfNameIndex();
        var value = new JsonArray([.. pairs.Select(p => (JsonNode)new JsonArray(p.Index, p.Name))]);
        return (value, PythonRepr.List(pairs.Select(p => PythonRepr.Tuple(PythonRepr.Int(p.Index), PythonRepr.Str(p.Name)))));
    }

    private static (JsonNode, string) Packed(byte[] bytes) => (PythonJson.Hex(bytes), PythonJson.Hex(bytes));

    private static (JsonNode, string) Text(string text) => (text, text);

    private static (JsonNode, string) Number(long n) => (n, PythonRepr.Int(n));
}
