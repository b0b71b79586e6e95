using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Agent.Messages.Checks;

// A YAML targets file becomes the JsonNode its JSON twin parses to, so both read through one path. Plain scalars are
// typed as YAML 1.2's core schema says (timeout: 2 is a number, "2" and '2' stay strings, no 1.1 yes/no booleans);
// aliases are refused, since expanding them is how a small YAML file grows without bound.
public static partial class CheckTargets
{
    private const int MaxYamlDepth = 64;
    private const string CoreTag = "tag:yaml.org,2002:";

    /// <summary>YAML <paramref name="text"/> as the JSON shape; throws <see cref="FormatException"/> naming the line.</summary>
    private static JsonNode? YamlToJson(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            Next(parser);
            Expect<StreamStart>(parser);
            if (parser.Current is StreamEnd)
            {
                return null;
            }
            Expect<DocumentStart>(parser);
            var document = ReadNode(parser, 0);
            Expect<DocumentEnd>(parser);
            if (parser.Current is not StreamEnd)
            {
                throw YamlError(parser.Current!.Start, "a targets file holds one YAML document");
            }
            return document;
        }
        // YamlDotNet reports some malformed input (an unclosed flow sequence) as an invalid operation of its scanner.
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            throw Error($"not valid YAML: {Endpoint.Escaped(e.Message)}");
        }
    }

    private static JsonNode? ReadNode(Parser parser, int depth)
    {
        var node = parser.Current!;
        if (depth > MaxYamlDepth)
        {
            throw YamlError(node.Start, $"nested deeper than {MaxYamlDepth}");
        }
        switch (node)
        {
            case Scalar scalar:
                Next(parser);
                return ReadScalar(scalar);
            case SequenceStart sequence:
                CheckTag(sequence.Tag, "seq", sequence.Start);
                Next(parser);
                var array = new JsonArray();
                while (parser.Current is not SequenceEnd)
                {
                    array.Add(ReadNode(parser, depth + 1));
                }
                Next(parser);
                return array;
            case MappingStart mapping:
                CheckTag(mapping.Tag, "map", mapping.Start);
                Next(parser);
                var fields = new JsonObject();
                while (parser.Current is not MappingEnd)
                {
                    if (parser.Current is not Scalar key)
                    {
                        throw YamlError(parser.Current!.Start, "a key must be plain text");
                    }
                    if (fields.ContainsKey(key.Value))
                    {
                        throw YamlError(key.Start, $"duplicate key '{Shown(key.Value)}'");
                    }
                    Next(parser);
                    fields[key.Value] = ReadNode(parser, depth + 1);
                }
                Next(parser);
                return fields;
            case AnchorAlias alias:
                throw YamlError(alias.Start, "aliases (*name) are not supported");
            default:
                throw YamlError(node.Start, $"unexpected {node.GetType().Name}");
        }
    }

    private static JsonNode? ReadScalar(Scalar scalar)
    {
        if (!scalar.Tag.IsEmpty)
        {
            CheckTag(scalar.Tag, "str", scalar.Start);
            return JsonValue.Create(scalar.Value);
        }
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(scalar.Value);
        }
        var value = scalar.Value;
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(value[0] is 't' or 'T');
        }
        if (JsonNumber().IsMatch(value))
        {
            // Spelled as JSON spells it: the node JSON gives, so 2.0 is the same non-integer in both.
            return JsonNode.Parse(value);
        }
        if (YamlInteger().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (YamlOctal().IsMatch(value))
        {
            return RadixInteger(value, 8, scalar.Start);
        }
        if (YamlHex().IsMatch(value))
        {
            return RadixInteger(value, 16, scalar.Start);
        }
        // Integers too long for 64 bits are floats here, as they are numbers in JSON.
        if (YamlFloat().IsMatch(value))
        {
            var number = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            return double.IsFinite(number) ? JsonValue.Create(number) : throw YamlError(scalar.Start, $"{Shown(value)} is beyond a JSON number");
        }
        if (YamlSpecialFloat().IsMatch(value))
        {
            throw YamlError(scalar.Start, $"{value} has no JSON number");
        }
        return JsonValue.Create(value);
    }

    // 0o17, 0x1f: the digits after the prefix in that radix.
    private static JsonValue RadixInteger(string value, int radix, Mark at)
    {
        ulong number = 0;
        foreach (var c in value.AsSpan(2))
        {
            var digit = (ulong)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
            if (number > (ulong.MaxValue - digit) / (ulong)radix)
            {
                throw YamlError(at, $"{Shown(value)} is beyond a 64-bit integer");
            }
            number = (number * (ulong)radix) + digit;
        }
        return JsonValue.Create(number);
    }

    // The core schema's own tags only (!!str on a scalar; !!seq, !!map on collections): others would need meanings of ours.
    private static void CheckTag(TagName tag, string allowed, Mark at)
    {
        if (!tag.IsEmpty && !tag.IsNonSpecific && tag.Value != CoreTag + allowed)
        {
            throw YamlError(at, $"tag {Shown(tag.Value)} is not supported");
        }
    }

    private static void Expect<T>(Parser parser)
        where T : ParsingEvent
    {
        if (parser.Current is not T)
        {
            throw YamlError(parser.Current!.Start, $"unexpected {parser.Current.GetType().Name}");
        }
        Next(parser);
    }

    private static void Next(Parser parser)
    {
        do
        {
            if (!parser.MoveNext())
            {
                throw new YamlException("unexpected end of the YAML stream");
            }
        }
        while (parser.Current is Comment);
    }

    private static FormatException YamlError(Mark at, string problem) => Error($"line {at.Line}, column {at.Column}: {problem}");

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlInteger();

    [GeneratedRegex("^0o[0-7]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlOctal();

    [GeneratedRegex("^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlHex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlSpecialFloat();
}
