namespace Agent.Cli;

/// <summary>Process exit statuses shared by every subcommand.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The operation itself failed (what Python would raise), or a node could not start.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or configuration: nothing was attempted.</summary>
    public const int Usage = 2;
}
