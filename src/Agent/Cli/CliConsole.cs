using Spectre.Console;

namespace Agent.Cli;

/// <summary>The Spectre.Console console the commands draw tables and progress on: standard output, colours when it is a terminal.</summary>
internal static class CliConsole
{
    /// <summary>A console on <see cref="Console.Out"/>; a file or pipe gets whole lines instead of cells wrapped at 80 columns.</summary>
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 1000;
        }
        return console;
    }
}
