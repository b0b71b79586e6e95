using System.CommandLine;
using Agent.Messages.Resolution;

namespace Agent.Cli;

/// <summary><c>agent lookup ...</c>: the host, service and protocol lookups of Python's socket module, through the resolver actor.</summary>
internal static class LookupCommand
{
    public static Command Create()
    {
        var command = new Command("lookup", "Host, service and protocol lookups as Python's socket module does them.");
        command.Subcommands.Add(Simple("hostname", "socket.gethostname()", [], _ => GetHostName.Instance));
        command.Subcommands.Add(Simple("fqdn", "socket.getfqdn([name])", [Optional("NAME")], a => new GetFqdn(a[0] ?? "")));
        command.Subcommands.Add(Simple("hostbyname", "socket.gethostbyname(name)", [Required("NAME")], a => new GetHostByName(a[0]!)));
        command.Subcommands.Add(Simple("hostbyname-ex", "socket.gethostbyname_ex(name)", [Required("NAME")], a => new GetHostByNameEx(a[0]!)));
        command.Subcommands.Add(Simple("hostbyaddr", "socket.gethostbyaddr(addr)", [Required("ADDR")], a => new GetHostByAddr(a[0]!)));
        command.Subcommands.Add(NameInfo());
        command.Subcommands.Add(Simple("servbyname", "socket.getservbyname(name[, proto])", [Required("NAME"), Optional("PROTO")],
            a => new GetServByName(a[0]!, a[1])));
        command.Subcommands.Add(Simple("servbyport", "socket.getservbyport(port[, proto])", [Required("PORT"), Optional("PROTO")],
            a => new GetServByPort(ServicePort(a[0]!), a[1])));
        command.Subcommands.Add(Simple("protobyname", "socket.getprotobyname(name)", [Required("NAME")], a => new GetProtoByName(a[0]!)));
        return command;
    }

    private static Command NameInfo()
    {
        var host = Required("HOST");
        var port = Required("PORT");
        var flags = new Option<string?>("--flags") { Description = $"Comma-separated NI_ flags: {string.Join(",", CliArguments.NameInfoFlags.Keys)}." };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout();
        var command = new Command("nameinfo", "socket.getnameinfo((host, port), flags)") { host, port, flags, json, timeout };
        var remote = RemoteOptions.Create();
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliOutput.Guard(parse.GetValue(json), () => CliResolver.RunAsync(
            new GetNameInfo(parse.GetValue(host)!, CliArguments.Port(parse.GetValue(port)!),
                CliArguments.Flags(parse.GetValue(flags), CliArguments.NameInfoFlags)),
            parse.GetValue(json), TimeSpan.FromSeconds(parse.GetValue(timeout)), remote, parse, cancellationToken)));
        return command;
    }

    private static Command Simple(string name, string description, Argument<string?>[] arguments, Func<string?[], ResolutionRequest> request)
    {
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout();
        var command = new Command(name, description);
        foreach (var argument in arguments)
        {
            command.Arguments.Add(argument);
        }
        command.Options.Add(json);
        command.Options.Add(timeout);
        var remote = RemoteOptions.Create();
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliOutput.Guard(parse.GetValue(json), () => CliResolver.RunAsync(
            request([.. arguments.Select(parse.GetValue)]), parse.GetValue(json), TimeSpan.FromSeconds(parse.GetValue(timeout)), remote, parse, cancellationToken)));
        return command;
    }

    // getservbyport answers out-of-range ports itself (OverflowError); only non-numbers are refused here.
    private static int ServicePort(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new UsageException($"port '{text}' is not an integer");

    private static Argument<string?> Required(string name) => new(name);

    private static Argument<string?> Optional(string name) => new(name) { Arity = ArgumentArity.ZeroOrOne };
}
