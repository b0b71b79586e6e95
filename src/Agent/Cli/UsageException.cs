namespace Agent.Cli;

/// <summary>A bad argument found after parsing: the command prints the message and exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
