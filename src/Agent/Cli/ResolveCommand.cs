using System.CommandLine;
using System.Text;
using Agent.Actors.Resolution;
using Agent.Messages.Resolution;
using Agent.Output;

namespace Agent.Cli;

/// <summary><c>agent resolve HOST [PORT]</c>: <c>socket.getaddrinfo</c> through the resolver actor.</summary>
internal static class ResolveCommand
{
    private static readonly Dictionary<int, string> Protocols = new()
    {
        [0] = "IPPROTO_IP", [1] = "IPPROTO_ICMP", [6] = "IPPROTO_TCP", [17] = "IPPROTO_UDP", [41] = "IPPROTO_IPV6",
        [58] = "IPPROTO_ICMPV6", [132] = "IPPROTO_SCTP", [136] = "IPPROTO_UDPLITE", [255] = "IPPROTO_RAW",
    };

    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "Host name or address; '-' for None (NULL, e.g. with --flags passive)." };
        var port = new Argument<string?>("PORT") { Description = "Port number or service name; omitted means None.", Arity = ArgumentArity.ZeroOrOne };
        var family = CliOptions.Family();
        var type = new Option<string>("--type") { Description = "Socket type.", DefaultValueFactory = _ => "any" };
        type.AcceptOnlyFromAmong([.. CliArguments.Types.Keys]);
        var proto = new Option<string>("--proto") { Description = "any, tcp, udp or a protocol number.", DefaultValueFactory = _ => "any" };
        var flags = new Option<string?>("--flags") { Description = $"Comma-separated AI_ flags: {string.Join(",", CliArguments.AddrInfoFlags.Keys)}." };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout();
        var command = new Command("resolve", "Look up addresses like socket.getaddrinfo(host, port, family, type, proto, flags).")
        {
            host, port, family, type, proto, flags, json, timeout,
        };
        var remote = RemoteOptions.Create();
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliOutput.Guard(parse.GetValue(json), () =>
        {
            var hostText = parse.GetValue(host)!;
            var request = new GetAddrInfo(
                hostText == "-" ? null : hostText,
                parse.GetValue(port),
                CliArguments.Families[parse.GetValue(family)!],
                CliArguments.Types[parse.GetValue(type)!],
                CliArguments.Proto(parse.GetValue(proto)!),
                CliArguments.Flags(parse.GetValue(flags), CliArguments.AddrInfoFlags));
            return CliResolver.RunAsync(request, parse.GetValue(json), TimeSpan.FromSeconds(parse.GetValue(timeout)), remote, parse, cancellationToken);
        }));
        return command;
    }

    /// <summary>The PyMOTW socket_getaddrinfo.py layout, one block per entry.</summary>
    public static string Text(ResolutionResult result)
    {
        var sb = new StringBuilder();
        foreach (var e in ((AddrInfoList)result).Entries)
        {
            sb.Append("Family        : ").AppendLine(PythonJson.FamilyName(e.Family).ToString())
              .Append("Type          : ").AppendLine(PythonJson.TypeName(e.Type).ToString())
              .Append("Protocol      : ").AppendLine(Protocols.GetValueOrDefault(e.Proto, PythonRepr.Int(e.Proto)))
              .Append("Canonical name: ").AppendLine(e.CanonName)
              .Append("Socket address: ").AppendLine(PythonRepr.SockAddr(e.SockAddr))
              .AppendLine();
        }
        return sb.ToString().TrimEnd('\n');
    }
}
