using System.CommandLine;
using Agent.Cli;

var root = new RootCommand("agent: an actor-based networking agent (Python's socket module as supervised actors).");
foreach (var command in Commands.All())
{
    root.Subcommands.Add(command);
}

// Response files are off: "@name" is an ordinary argument, never the contents of a file (which an error would echo).
var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"agent: {ParseErrors.Describe(error)}");
    }
    Console.Error.WriteLine("Try 'agent --help' for usage.");
    return ExitCodes.Usage;
}
// The node host maps SIGTERM/SIGINT to coordinated shutdown itself, so System.CommandLine must not intercept them.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
