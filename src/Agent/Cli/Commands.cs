using System.CommandLine;

namespace Agent.Cli;

/// <summary>The subcommands of <c>agent</c>, in the order help lists them.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All()
    {
        yield return RunCommand.Create();
        yield return NodesCommand.Create();
        yield return CheckCommand.Create();
        yield return EchoCommand.Create();
        yield return ConnectCommand.Create();
        yield return SocketPairCommand.Create();
        yield return ResolveCommand.Create();
        yield return LookupCommand.Create();
        yield return AddrCommand.Create();
    }
}
