using System.CommandLine;
using Agent.Actors.Io;
using Agent.Cli;

// The runtime needs about 270 descriptors before a node accepts anything (two per loaded assembly: Akka.Remote,
// Akka.Cluster and ASP.NET Core's among them), a CLI command over 100, and fails without a clean message when it finds
// none (an assembly it cannot open, "Out of memory."): check first. A node raises its soft limit as far as the hard
// one allows (up to 65,536), as servers do.
var (needed, wanted) = args is ["run", ..] ? (512, 65_536) : (128, 128);
if (DescriptorLimit.Ensure(needed, wanted) is { } tooLow)
{
    Console.Error.WriteLine($"agent: {tooLow}");
    return ExitCodes.Failure;
}

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
