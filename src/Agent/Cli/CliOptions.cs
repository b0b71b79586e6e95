using System.CommandLine;

namespace Agent.Cli;

/// <summary>Options shared by the commands (a fresh instance per command).</summary>
internal static class CliOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print exactly one JSON value: Python's return value, or an error object." };

    public static Option<double> Timeout(string description = "Seconds before the lookup is answered with a timeout failure.") => new("--timeout")
    {
        Description = description,
        DefaultValueFactory = _ => CliResolver.DefaultTimeout.TotalSeconds,
        Validators =
        {
            r =>
            {
                // A value that is not a number at all is the parser's error already (reading it here would throw).
                if (r.Tokens is [var token] && !double.TryParse(token.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return;
                }
                if (r.GetValueOrDefault<double>() is not (> 0 and <= 3600))
                {
                    r.AddError("--timeout must be between 0 and 3600 seconds");
                }
            },
        },
    };

    /// <summary>The node API a client command talks to.</summary>
    public static Option<string> Api() => new("--api")
    {
        Description = $"The node API to ask, HOST:PORT (default {Clients.NodeApiClient.DefaultAddress}); its token, if it has one, comes from {Clients.NodeApiClient.TokenVariable}.",
        DefaultValueFactory = _ => Clients.NodeApiClient.DefaultAddress,
    };

    /// <summary>Why an exchange's <c>--timeout</c> (connect, echo, socketpair) is refused, or null: above 0 and at most a day.</summary>
    public static string? ExchangeTimeoutProblem(double seconds) =>
        seconds is <= 0 or > 86_400 || double.IsNaN(seconds) ? $"--timeout must be above 0 and at most 86400 seconds, got {seconds}" : null;

    public static Option<string> Family(bool required = false)
    {
        var option = new Option<string>("--family") { Description = "Address family.", Required = required };
        if (!required)
        {
            option.DefaultValueFactory = _ => "any";
        }
        option.AcceptOnlyFromAmong(required ? ["inet", "inet6"] : [.. CliArguments.Families.Keys]);
        return option;
    }
}
