using Agent.Actors.Resolution;

namespace Agent.Cli;

/// <summary>A command's refused arguments and its guard; what a run prints is <see cref="CommandOutput"/>'s.</summary>
internal static class CliOutput
{
    public static int Usage(string message)
    {
        Console.Error.WriteLine($"agent: {message}");
        return ExitCodes.Usage;
    }

    /// <summary>Runs a command body, mapping Python errors to exit 1 and bad arguments to exit 2.</summary>
    public static async Task<int> Guard(bool json, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException e)
        {
            return Usage(e.Message);
        }
        catch (PythonException e)
        {
            return CommandOutput.Failure(e.Error).Print(json);
        }
    }
}
