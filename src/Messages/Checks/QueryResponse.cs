using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Agent.Messages.Checks;

/// <summary>What one step of a <see cref="QueryResponse"/> does.</summary>
public enum QueryStepKind
{
    /// <summary>Write the text's UTF-8 bytes.</summary>
    Send,

    /// <summary>Read until the regex matches the bytes not consumed yet.</summary>
    Expect,
}

/// <summary>One step of a <see cref="QueryResponse"/>: JSON <c>{"send": TEXT}</c> or <c>{"expect": REGEX}</c>.</summary>
/// <param name="Kind">Send or expect.</param>
/// <param name="Text">The text to send, or the regex to expect.</param>
public sealed record QueryStep(QueryStepKind Kind, string Text)
{
    /// <summary>A step writing <paramref name="text"/> (UTF-8).</summary>
    public static QueryStep Send(string text) => new(QueryStepKind.Send, text);

    /// <summary>A step reading until <paramref name="regex"/> matches.</summary>
    public static QueryStep Expect(string regex) => new(QueryStepKind.Expect, regex);

    /// <summary>The JSON field naming the step's kind: <c>send</c> or <c>expect</c>.</summary>
    public string Field => Kind == QueryStepKind.Send ? "send" : "expect";
}

/// <summary>
/// A <c>tcp:</c> probe's query/response script (blackbox_exporter's <c>query_response</c>): once connected, its steps
/// run in order; a send writes its text's UTF-8 bytes, an expect reads until its regex matches the bytes received and
/// not yet consumed (read as Latin-1, one character per byte, so binary protocols work), and a match consumes through
/// its end. Every bound holds for a script from the network: <see cref="Validate"/> names the step out of range. In
/// JSON, the array of steps. Compared by its steps, so two requests with the same script are the same probe.
/// </summary>
[JsonConverter(typeof(QueryResponseJsonConverter))]
public sealed record QueryResponse
{
    /// <summary>The most steps: 16.</summary>
    public const int MaxSteps = 16;

    /// <summary>The most bytes one send writes: 4 KiB (UTF-8).</summary>
    public const int MaxSendBytes = 4096;

    /// <summary>The longest regex: 1 KiB (UTF-8).</summary>
    public const int MaxRegexBytes = 1024;

    /// <summary>
    /// The most bytes of all steps together: 16 KiB (UTF-8). A script travels in <c>RunProbe</c> to every node of a check,
    /// and even escaped at its worst (6 bytes a character) it must fit one remoting frame (128,000 bytes).
    /// </summary>
    public const int MaxScriptBytes = 16 * 1024;

    /// <summary>
    /// The most bytes an expect holds while no match is found: 64 KiB. A peer sending more without a match fails the
    /// step (<c>QueryMismatch</c>) rather than grow the node.
    /// </summary>
    public const int MaxBufferedBytes = 65_536;

    /// <summary>
    /// How regexes compile: <see cref="RegexOptions.NonBacktracking"/> (matching in time linear in the input, whatever the
    /// pattern, since patterns come from the network too; it refuses backreferences, lookarounds and atomic groups, as
    /// RE2 does), <see cref="RegexOptions.Multiline"/> (<c>^</c> and <c>$</c> at line boundaries, so <c>^221 </c> finds the
    /// reply line after the rest of a banner an earlier expect left; <c>\A</c> is the first byte not yet consumed) and
    /// culture invariant.
    /// </summary>
    public const RegexOptions CompileOptions = RegexOptions.NonBacktracking | RegexOptions.Multiline | RegexOptions.CultureInvariant;

    /// <summary>A script of <paramref name="steps"/>, copied.</summary>
    public QueryResponse(IEnumerable<QueryStep> steps) => Steps = [.. steps];

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<QueryStep> Steps { get; }

    /// <summary>
    /// Compiles <paramref name="pattern"/> as an expect does; throws <see cref="ArgumentException"/> for an invalid regex
    /// and <see cref="NotSupportedException"/> for a construct the engine refuses (<see cref="Validate"/> reports both).
    /// </summary>
    public static Regex Compile(string pattern) => new(pattern, CompileOptions);

    /// <summary>
    /// Null when every bound holds, otherwise what is wrong in one line, naming the step by its JSON path under
    /// <paramref name="path"/> (<c>query_response[1].expect: not a valid regex: Not enough )'s at offset 3</c>).
    /// </summary>
    public string? Validate(string path = "query_response")
    {
        if (Steps.Count is 0 or > MaxSteps)
        {
            return $"{path}: must have 1-{MaxSteps} steps, got {Steps.Count}";
        }
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            var at = $"{path}[{i}].{step.Field}";
            var bytes = Encoding.UTF8.GetByteCount(step.Text);
            var max = step.Kind == QueryStepKind.Send ? MaxSendBytes : MaxRegexBytes;
            if (bytes is 0 || bytes > max)
            {
                return $"{at}: must be 1-{max} bytes (UTF-8), got {bytes}";
            }
            if (step.Kind == QueryStepKind.Expect && RegexProblem(step.Text) is { } problem)
            {
                return $"{at}: not a valid regex: {problem}";
            }
        }
        var total = Steps.Sum(step => Encoding.UTF8.GetByteCount(step.Text));
        return total > MaxScriptBytes ? $"{path}: the steps together must be at most {MaxScriptBytes} bytes (UTF-8), got {total}" : null;
    }

    /// <inheritdoc />
    public bool Equals(QueryResponse? other) => other is not null && Steps.SequenceEqual(other.Steps);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var step in Steps)
        {
            hash.Add(step);
        }
        return hash.ToHashCode();
    }

    // .NET's message quotes the whole pattern (up to 1 KiB, control characters and all): keep only what is wrong, and where.
    private static string? RegexProblem(string pattern)
    {
        try
        {
            Compile(pattern);
            return null;
        }
        catch (RegexParseException e)
        {
            var after = $" at offset {e.Offset.ToString(CultureInfo.InvariantCulture)}. ";
            var at = e.Message.IndexOf(after, StringComparison.Ordinal);
            var what = at < 0 ? e.Error.ToString() : e.Message[(at + after.Length)..].TrimEnd('.');
            return Endpoint.Escaped($"{what} at offset {e.Offset.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (NotSupportedException e)
        {
            return Endpoint.Escaped(e.Message);
        }
    }
}

/// <summary>
/// Reads and writes a <see cref="QueryResponse"/> as its array of steps, each <c>{"send": TEXT}</c> or
/// <c>{"expect": REGEX}</c>; anything else (another field, both, neither, a non-string) is a <see cref="JsonException"/>.
/// Bounds are <see cref="QueryResponse.Validate"/>'s, so an oversized script still reads and is answered a <c>ValueError</c>.
/// </summary>
public sealed class QueryResponseJsonConverter : JsonConverter<QueryResponse>
{
    /// <inheritdoc />
    public override QueryResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("query_response: expected an array of steps");
        }
        var steps = new List<QueryStep>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException($"query_response[{steps.Count}]: expected {{\"send\": TEXT}} or {{\"expect\": REGEX}}");
            }
            var kind = reader.GetString() switch
            {
                "send" => QueryStepKind.Send,
                "expect" => QueryStepKind.Expect,
                _ => throw new JsonException($"query_response[{steps.Count}]: unknown field (fields: send, expect)"),
            };
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"query_response[{steps.Count}]: expected a string");
            }
            steps.Add(new QueryStep(kind, reader.GetString()!));
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
            {
                throw new JsonException($"query_response[{steps.Count - 1}]: one of send or expect, not both");
            }
        }
        return new QueryResponse(steps);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, QueryResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var step in value.Steps)
        {
            writer.WriteStartObject();
            writer.WriteString(step.Field, step.Text);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
