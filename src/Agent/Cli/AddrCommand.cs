using System.CommandLine;
using System.Numerics;
using System.Text.Json.Nodes;
using Agent.Actors.Resolution;
using Agent.Output;

namespace Agent.Cli;

/// <summary><c>agent addr ...</c>: Python's address conversion functions (no actor needed).</summary>
internal static class AddrCommand
{
    public static Command Create()
    {
        var command = new Command("addr", "Address conversions as Python's socket module does them.");
        command.Subcommands.Add(One("aton", "socket.inet_aton(addr), as hex", "ADDR", a => Packed(AddressFunctions.InetAton(a))));
        command.Subcommands.Add(One("ntoa", "socket.inet_ntoa(packed hex)", "HEX", a => Text(AddressFunctions.InetNtoa(CliArguments.Hex(a)))));
        command.Subcommands.Add(WithFamily("pton", "socket.inet_pton(family, addr), as hex", "ADDR", (f, a) => Packed(AddressFunctions.InetPton(f, a))));
        command.Subcommands.Add(WithFamily("ntop", "socket.inet_ntop(family, packed hex)", "HEX", (f, a) => Text(AddressFunctions.InetNtop(f, CliArguments.Hex(a)))));
        command.Subcommands.Add(One("htons", "socket.htons(n)", "N", a => Number(AddressFunctions.Htons(CliArguments.Integer(a)))));
        command.Subcommands.Add(One("htonl", "socket.htonl(n)", "N", a => Number(AddressFunctions.Htonl(CliArguments.Integer(a)))));
        command.Subcommands.Add(One("ntohs", "socket.ntohs(n)", "N", a => Number(AddressFunctions.Ntohs(CliArguments.Integer(a)))));
        command.Subcommands.Add(One("ntohl", "socket.ntohl(n)", "N", a => Number(AddressFunctions.Ntohl(CliArguments.Integer(a)))));
        command.Subcommands.Add(One("nametoindex", "socket.if_nametoindex(name)", "NAME", a => Number(AddressFunctions.IfNameToIndex(a))));
        command.Subcommands.Add(One("indextoname", "socket.if_indextoname(n)", "N", a => Text(AddressFunctions.IfIndexToName(CliArguments.Integer(a)))));
        command.Subcommands.Add(NameIndex());
        return command;
    }

    private static Command NameIndex()
    {
        var json = CliOptions.Json();
        var command = new Command("nameindex", "socket.if_nameindex()") { json };
        command.SetAction((parse, _) => CliOutput.Guard(parse.GetValue(json), () =>
        {
            var pairs = AddressFunctions.IfNameIndex();
            var value = new JsonArray([.. pairs.Select(p => (JsonNode)new JsonArray(p.Index, p.Name))]);
            var text = PythonRepr.List(pairs.Select(p => PythonRepr.Tuple(PythonRepr.Int(p.Index), PythonRepr.Str(p.Name))));
            return Task.FromResult(CliOutput.Success(parse.GetValue(json), value, text));
        }));
        return command;
    }

    private static Command One(string name, string description, string argumentName, Func<string, (JsonNode Json, string Text)> run)
    {
        var argument = new Argument<string>(argumentName);
        var json = CliOptions.Json();
        var command = new Command(name, description) { argument, json };
        command.SetAction((parse, _) => CliOutput.Guard(parse.GetValue(json), () =>
        {
            var (value, text) = run(NoNul(parse.GetValue(argument)!));
            return Task.FromResult(CliOutput.Success(parse.GetValue(json), value, text));
        }));
        return command;
    }

    private static Command WithFamily(string name, string description, string argumentName, Func<int, string, (JsonNode Json, string Text)> run)
    {
        var argument = new Argument<string>(argumentName);
        var family = CliOptions.Family(required: true);
        var json = CliOptions.Json();
        var command = new Command(name, description) { argument, family, json };
        command.SetAction((parse, _) => CliOutput.Guard(parse.GetValue(json), () =>
        {
            var (value, text) = run(CliArguments.Families[parse.GetValue(family)!], NoNul(parse.GetValue(argument)!));
            return Task.FromResult(CliOutput.Success(parse.GetValue(json), value, text));
        }));
        return command;
    }

    private static string NoNul(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? throw new UsageException("argument contains a NUL byte") : text;

    private static (JsonNode, string) Packed(byte[] bytes) => (PythonJson.Hex(bytes), PythonJson.Hex(bytes));

    private static (JsonNode, string) Text(string text) => (text, text);

    private static (JsonNode, string) Number(long n) => (n, PythonRepr.Int(n));
}
