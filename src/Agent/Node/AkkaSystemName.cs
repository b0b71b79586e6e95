using System.Text.RegularExpressions;

namespace Agent.Node;

/// <summary>Akka's rule for an actor system name, checked before Akka would throw on it at startup.</summary>
internal static partial class AkkaSystemName
{
    /// <summary>True when <paramref name="name"/> can name an actor system.</summary>
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex Pattern();
}
