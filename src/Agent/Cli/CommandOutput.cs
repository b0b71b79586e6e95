using System.Text.Json.Nodes;
using Agent.Messages;
using Agent.Output;

namespace Agent.Cli;

/// <summary>
/// What one run of a command prints, whether it ran here or on another node (<c>--on</c>): the exit status, the value
/// <c>--json</c> prints, the text printed without it, and the line a failure prints on stderr.
/// </summary>
/// <param name="ExitCode">0, 1 (the operation failed, as Python would raise) or 2 (bad arguments).</param>
/// <param name="Json">What <c>--json</c> prints: the result, or the error object.</param>
/// <param name="Text">What the command prints on stdout without <c>--json</c>; may be empty.</param>
/// <param name="Error">The line a failure prints on stderr (<c>gaierror: [Errno -2] ...</c>); null on success.</param>
internal sealed record CommandOutput(int ExitCode, JsonNode Json, string Text, string? Error)
{
    /// <summary>A success: <paramref name="json"/> with <c>--json</c>, <paramref name="text"/> without.</summary>
    public static CommandOutput Success(JsonNode json, string text) => new(ExitCodes.Success, json, text, null);

    /// <summary>A failure in Python's words: the error object with <c>--json</c>, the error line on stderr.</summary>
    public static CommandOutput Failure(PythonError error) => new(ExitCodes.Failure, PythonJson.ToJson(error), "", error.ToString());

    /// <summary>Arguments refused before anything ran.</summary>
    public static CommandOutput Usage(string message) =>
        new(ExitCodes.Usage, PythonJson.ToJson(new PythonError("ValueError", null, message)), "", $"agent: {message}");

    /// <summary>
    /// Prints this as the local command does: stdout gets the JSON or the text (nothing for refused arguments); a
    /// failure's line goes to stderr.
    /// </summary>
    public int Print(bool json)
    {
        if (ExitCode == ExitCodes.Usage)
        {
            // Refused arguments print their line only, as every command's usage errors do.
        }
        else if (json)
        {
            Console.Out.WriteLine(Json.ToJsonString());
        }
        else if (Text.Length > 0)
        {
            Console.Out.WriteLine(Text);
        }
        if (Error is not null)
        {
            Console.Error.WriteLine(Error);
        }
        return ExitCode;
    }
}
