using System.CommandLine;
using System.CommandLine.Parsing;

namespace Agent.Cli;

/// <summary>System.CommandLine's parse errors, in the words of the rest of the CLI: a value that does not convert names its option and what it should be, never a .NET type.</summary>
internal static class ParseErrors
{
    /// <summary>The message to print for <paramref name="error"/>.</summary>
    public static string Describe(ParseError error)
    {
        var (name, type, tokens) = error.SymbolResult switch
        {
            OptionResult option => (option.Option.Name, option.Option.ValueType, option.Tokens),
            ArgumentResult { Parent: OptionResult option } argument => (option.Option.Name, argument.Argument.ValueType, argument.Tokens),
            ArgumentResult argument => (argument.Argument.Name, argument.Argument.ValueType, argument.Tokens),
            _ => ("", typeof(void), (IReadOnlyList<Token>)[]),
        };
        // Only the conversion failure names the .NET type; other errors already say what is wrong.
        return tokens is [var token, ..] && Expected(type) is { } expected && error.Message.Contains(type.FullName ?? "?", StringComparison.Ordinal)
            ? $"{name}: '{token.Value}' is not {expected}"
            : error.Message;
    }

    private static string? Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(double) => "a number",
        _ => null,
    };
}
