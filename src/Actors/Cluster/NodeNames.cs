using System.Text.RegularExpressions;

namespace Agent.Actors.Cluster;

/// <summary>
/// The rules for node names and labels. Both travel as Akka cluster roles (<c>name=NODE</c>, <c>KEY=VALUE</c>), so a
/// name or label is plain text of a bounded length that prints safely in a log line, a table and a URL.
/// </summary>
public static partial class NodeNames
{
    /// <summary>The role prefix that carries a node's name; the label key <c>name</c> is reserved for it.</summary>
    public const string NameKey = "name";

    /// <summary>What <see cref="IsValid"/> asks, said the way an error message needs it.</summary>
    public const string Rule = "must be 1-63 letters, digits, '.', '-' or '_', starting with a letter or digit";

    /// <summary>True when <paramref name="name"/> can name a node.</summary>
    public static bool IsValid(string name) => Name().IsMatch(name);

    /// <summary>What is wrong with the label <paramref name="key"/>=<paramref name="value"/>; null when it is a good one.</summary>
    public static string? LabelProblem(string key, string value) =>
        !Name().IsMatch(key) ? $"a label key {Rule}"
        : key.Equals(NameKey, StringComparison.OrdinalIgnoreCase) ? "the label key 'name' is reserved for the node's name (node:name, --name)"
        : !Value().IsMatch(value) ? "a label value must be 1-63 letters, digits, '.', '-' or '_'"
        : null;

    /// <summary>True when <paramref name="selector"/> chooses members: <c>all</c>, a node name, or a label <c>KEY=VALUE</c>.</summary>
    public static bool IsSelector(string selector) =>
        selector == "all" || IsValid(selector) || selector.Split('=', 2) is [var key, var value] && LabelProblem(key, value) is null;

    /// <summary>The cluster role that carries a node's name.</summary>
    public static string NameRole(string name) => $"{NameKey}={name}";

    /// <summary>The node name a member's roles carry, if any.</summary>
    public static string? NameOf(IEnumerable<string> roles) =>
        roles.FirstOrDefault(role => role.StartsWith(NameKey + "=", StringComparison.Ordinal)) is { } role ? role[(NameKey.Length + 1)..] : null;

    /// <summary>The labels a member's roles carry (every <c>KEY=VALUE</c> role but the name).</summary>
    public static IReadOnlyDictionary<string, string> LabelsOf(IEnumerable<string> roles) =>
        roles.Select(role => role.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0] != NameKey)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First()[1], StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex Name();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,63}$")]
    private static partial Regex Value();
}
