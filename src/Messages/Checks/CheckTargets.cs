using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agent.Messages.Checks;

/// <summary>
/// Reads the targets of a check, as a targets file (<c>agent check --targets FILE</c>), an API request or the node
/// config gives them, into the probes to run. A document is <c>{"defaults": OPTIONS, "targets": [ENTRY, ...]}</c>; an
/// entry is a target string or an object with <c>target</c> and any of the option fields <c>timeout</c> (seconds, a
/// number), <c>retries</c>, <c>payload_size</c>, <c>family</c> (any, ip4, ip6 or both) and <c>query_response</c> (tcp
/// targets only); <c>defaults</c> takes the same option fields but <c>query_response</c>, which belongs to its target.
/// An entry's field beats the file's defaults, which beat the caller's base options. Strict: an unknown field, a value
/// of the wrong type or out of range, a target twice, no target or more than <see cref="MaxTargets"/> is a
/// <see cref="FormatException"/> whose one-line message names the path (<c>targets[3].timout: unknown field (fields:
/// target, timeout, ...)</c>).
/// </summary>
public static partial class CheckTargets
{
    /// <summary>The most targets one list holds: 10,000.</summary>
    public const int MaxTargets = 10_000;

    // How much of a value or a field name from the input an error repeats.
    private const int ShownChars = 64;

    private static readonly string[] DocumentFields = ["defaults", "targets"];
    private static readonly string[] OptionFields = ["timeout", "retries", "payload_size", "family"];
    private static readonly string[] EntryFields = ["target", .. OptionFields, "query_response"];
    private static readonly string[] StepFields = ["send", "expect"];

    /// <summary>
    /// Reads a targets file's <paramref name="text"/>: YAML when <paramref name="fileName"/> ends with <c>.yaml</c> or
    /// <c>.yml</c>, JSON (comments and trailing commas allowed) otherwise; then as <see cref="ReadDocument"/>. Throws
    /// <see cref="FormatException"/>; the file name is the caller's to add.
    /// </summary>
    public static IReadOnlyList<RunProbe> ReadFile(string text, string fileName, ProbeOptions baseOptions)
    {
        var yaml = fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        return ReadDocument(yaml ? YamlToJson(text) : ParseJson(text), baseOptions);
    }

    /// <summary>
    /// Reads a document <c>{"defaults": OPTIONS, "targets": [ENTRY, ...]}</c> (<c>defaults</c> optional) over
    /// <paramref name="baseOptions"/>. Throws <see cref="FormatException"/>.
    /// </summary>
    public static IReadOnlyList<RunProbe> ReadDocument(JsonNode? document, ProbeOptions baseOptions)
    {
        if (document is not JsonObject fields)
        {
            throw Error($"expected an object with targets and optional defaults, got {Describe(document)}");
        }
        var defaults = baseOptions;
        JsonNode? targets = null;
        var hasTargets = false;
        foreach (var (name, value) in FieldsOf(fields, "(document)"))
        {
            switch (name)
            {
                case "defaults":
                    defaults = ReadOptions(value, baseOptions);
                    break;
                case "targets":
                    targets = value;
                    hasTargets = true;
                    break;
                default:
                    throw Unknown(Shown(name), DocumentFields);
            }
        }
        return hasTargets ? ReadEntries(targets, defaults) : throw Error("targets: required (fields: defaults, targets)");
    }

    /// <summary>
    /// Reads an array of entries over <paramref name="baseOptions"/> (the file's defaults, or a caller's options): one
    /// <see cref="RunProbe"/> per entry, in order, each with its effective options. <paramref name="path"/> names the
    /// array in errors. Throws <see cref="FormatException"/>.
    /// </summary>
    public static IReadOnlyList<RunProbe> ReadEntries(JsonNode? entries, ProbeOptions baseOptions, string path = "targets")
    {
        if (entries is not JsonArray array)
        {
            throw Error($"{path}: expected an array of targets, got {Describe(entries)}");
        }
        if (array.Count == 0)
        {
            throw Error($"{path}: empty (at least one target)");
        }
        if (array.Count > MaxTargets)
        {
            throw Error($"{path}: {array.Count} targets, at most {MaxTargets}");
        }
        var runs = new List<RunProbe>(array.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{path}[{i}]";
            var run = ReadEntry(array[i], baseOptions, at);
            if (run.Validate() is { } problem)
            {
                throw Error($"{at}: {problem}");
            }
            var text = run.Target.ToString();
            if (!seen.TryAdd(text, i))
            {
                throw Error($"{at}: duplicate of {path}[{seen[text]}] ('{text}')");
            }
            runs.Add(run);
        }
        return runs;
    }

    /// <summary>
    /// Reads an object of options (<c>timeout</c>, <c>retries</c>, <c>payload_size</c>, <c>family</c>) over
    /// <paramref name="baseOptions"/>: each field given replaces the base's. <paramref name="path"/> names the object in
    /// errors. Throws <see cref="FormatException"/>.
    /// </summary>
    public static ProbeOptions ReadOptions(JsonNode? options, ProbeOptions baseOptions, string path = "defaults")
    {
        if (options is not JsonObject fields)
        {
            throw Error($"{path}: expected an object of options ({string.Join(", ", OptionFields)}), got {Describe(options)}");
        }
        var result = baseOptions;
        foreach (var (name, value) in FieldsOf(fields, path))
        {
            result = WithOption(result, name, value, $"{path}.{Shown(name)}") ?? throw Unknown($"{path}.{Shown(name)}", OptionFields);
        }
        return result;
    }

    private static RunProbe ReadEntry(JsonNode? entry, ProbeOptions baseOptions, string at)
    {
        if (StringOf(entry) is { } text)
        {
            return new RunProbe(ReadTarget(text, at), baseOptions);
        }
        if (entry is not JsonObject fields)
        {
            throw Error($"{at}: expected a target string or an object with target, got {Describe(entry)}");
        }
        var options = baseOptions;
        ProbeTarget? target = null;
        foreach (var (name, field) in FieldsOf(fields, at))
        {
            var fieldAt = $"{at}.{Shown(name)}";
            switch (name)
            {
                case "target":
                    target = StringOf(field) is { } targetText
                        ? ReadTarget(targetText, fieldAt)
                        : throw Error($"{fieldAt}: expected a target string, got {Describe(field)}");
                    break;
                case "query_response":
                    options = options with { QueryResponse = ReadScript(field, fieldAt) };
                    break;
                default:
                    options = WithOption(options, name, field, fieldAt) ?? throw Unknown(fieldAt, EntryFields);
                    break;
            }
        }
        if (target is not { } probed)
        {
            throw Error($"{at}.target: required (fields: {string.Join(", ", EntryFields)})");
        }
        if (fields.ContainsKey("query_response") && probed.Kind != ProbeKind.Tcp)
        {
            throw Error($"{at}.query_response: only for tcp: targets, not {ProbeTarget.SchemeOf(probed.Kind)}");
        }
        return new RunProbe(probed, options);
    }

    private static ProbeTarget ReadTarget(string text, string at) =>
        ProbeTarget.TryParse(text, out var target, out var error) ? target : throw Error($"{at}: {error}");

    // The options with field `name` set from `value`; null when `name` is not an option field.
    private static ProbeOptions? WithOption(ProbeOptions options, string name, JsonNode? value, string at) => name switch
    {
        "timeout" => options with { Timeout = ReadTimeout(value, at) },
        "retries" => options with { Retries = ReadInteger(value, 0, ProbeOptions.MaxRetries, at) },
        "payload_size" => options with { PayloadSize = ReadInteger(value, 1, ProbeOptions.MaxPayloadSize, at) },
        "family" => options with { Family = ReadFamily(value, at) },
        _ => null,
    };

    private static TimeSpan ReadTimeout(JsonNode? value, string at)
    {
        var max = ProbeOptions.MaxTimeout.TotalSeconds;
        if (NumberText(value) is { } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0 && seconds <= max
            && TimeSpan.FromSeconds(seconds) is var timeout && timeout > TimeSpan.Zero)
        {
            return timeout;
        }
        throw Error($"{at}: expected a number of seconds above 0 and at most {max.ToString(CultureInfo.InvariantCulture)}, got {Describe(value)}");
    }

    private static int ReadInteger(JsonNode? value, int min, int max, string at) =>
        NumberText(value) is { } text
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
        && number >= min && number <= max
            ? number
            : throw Error($"{at}: expected an integer {min}-{max}, got {Describe(value)}");

    private static FamilyMode ReadFamily(JsonNode? value, string at) =>
        FamilyModes.TryParse(StringOf(value), out var mode) ? mode : throw Error($"{at}: expected any, ip4, ip6 or both, got {Describe(value)}");

    private static QueryResponse ReadScript(JsonNode? value, string at)
    {
        if (value is not JsonArray steps)
        {
            throw Error($"{at}: expected an array of steps {{\"send\": TEXT}} or {{\"expect\": REGEX}}, got {Describe(value)}");
        }
        var script = new QueryResponse(steps.Select((step, i) => ReadStep(step, $"{at}[{i}]")));
        return script.Validate(at) is { } problem ? throw Error(problem) : script;
    }

    private static QueryStep ReadStep(JsonNode? step, string at)
    {
        if (step is not JsonObject stepObject || FieldsOf(stepObject, at) is not { Count: > 0 } fields)
        {
            throw Error($"{at}: expected {{\"send\": TEXT}} or {{\"expect\": REGEX}}, got {Describe(step)}");
        }
        foreach (var (name, _) in fields)
        {
            if (!StepFields.Contains(name))
            {
                throw Unknown($"{at}.{Shown(name)}", StepFields);
            }
        }
        if (fields.Count > 1)
        {
            throw Error($"{at}: one of send or expect, not both");
        }
        var (field, value) = fields[0];
        return StringOf(value) is { } text
            ? new QueryStep(field == "send" ? QueryStepKind.Send : QueryStepKind.Expect, text)
            : throw Error($"{at}.{field}: expected a string, got {Describe(value)}");
    }

    // A node parsed with duplicate properties allowed (JsonNode.Parse's default) throws when first enumerated.
    private static List<KeyValuePair<string, JsonNode?>> FieldsOf(JsonObject fields, string at)
    {
        try
        {
            return [.. fields];
        }
        catch (ArgumentException)
        {
            throw Error($"{at}: a field appears twice");
        }
    }

    // A number's JSON text, whatever backs the node (parsed text, or a value an API built); null for any other kind.
    private static string? NumberText(JsonNode? value) =>
        value is JsonValue number && number.GetValueKind() == JsonValueKind.Number ? number.ToJsonString() : null;

    private static string? StringOf(JsonNode? value) =>
        value is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : null;

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException e)
        {
            throw Error($"not valid JSON: {Endpoint.Escaped(e.Message)}");
        }
    }

    // How a value from the input reads in an error: its JSON for numbers and literals, quoted and bounded for text.
    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ when StringOf(value) is { } text => $"'{Shown(text)}'",
        _ => Shown(value.ToJsonString()),
    };

    private static string Shown(string text) =>
        Endpoint.Escaped(text.Length <= ShownChars ? text : text[..ShownChars] + "...");

    private static FormatException Unknown(string at, string[] fields) =>
        Error($"{at}: unknown field (fields: {string.Join(", ", fields)})");

    private static FormatException Error(string message) => new(message);
}
