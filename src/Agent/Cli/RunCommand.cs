using System.CommandLine;

namespace Agent.Cli;

/// <summary><c>agent run</c>: runs a node in the foreground until SIGTERM or Ctrl-C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run a node in the foreground on the given (or the embedded default) config.");
        command.SetAction((_, _) => Task.FromResult(ExitCodes.Success));
        return command;
    }
}
