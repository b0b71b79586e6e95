using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Actors.Resolution;
using Agent.Output;
using Agent.Messages;

namespace Agent.Cli;

/// <summary>Writes a command's one result or error, as text or (with --json) exactly one JSON value on stdout.</summary>
internal static class CliOutput
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static int Success(bool json, JsonNode value, string text)
    {
        Console.Out.WriteLine(json ? value.ToJsonString(Compact) : text);
        return ExitCodes.Success;
    }

    /// <summary>Python's words on stderr (<c>gaierror: [Errno -2] Name or service not known</c>), the error object on stdout with --json.</summary>
    public static int Failure(bool json, PythonError error)
    {
        Console.Error.WriteLine(error.ToString());
        if (json)
        {
            Console.Out.WriteLine(PythonJson.ToJson(error).ToJsonString(Compact));
        }
        return ExitCodes.Failure;
    }

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
            return Failure(json, e.Error);
        }
    }
}
