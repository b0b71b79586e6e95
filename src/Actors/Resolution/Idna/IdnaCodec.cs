using System.Text;

namespace Agent.Actors.Resolution.Idna;

/// <summary>
/// <c>name.encode('idna')</c> as CPython's codec does it (Lib/encodings/idna.py, IDNA 2003 with
/// AllowUnassigned): the ASCII fast path, else per label (split at U+002E, U+3002, U+FF0E, U+FF61)
/// ToASCII: nameprep (RFC 3491), then punycode behind <c>xn--</c>. Failures are Python's
/// UnicodeError with the codec's message, wrapped as CPython 3.11 wraps codec errors.
/// </summary>
internal static class IdnaCodec
{
    private const string AcePrefix = "xn--";

    /// <summary>The ASCII bytes Python sends to libc for <paramref name="input"/>, as text; throws <see cref="PythonException"/> (UnicodeError).</summary>
    public static string Encode(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }
        if (Ascii.IsValid(input))
        {
            // The fast path checks lengths only; the last label may be empty (a trailing dot).
            var rest = input.AsSpan();
            for (var dot = rest.IndexOf('.'); dot >= 0; dot = rest.IndexOf('.'))
            {
                if (dot is 0 or > 63)
                {
                    throw Fail("label empty or too long");
                }
                rest = rest[(dot + 1)..];
            }
            return rest.Length < 64 ? input : throw Fail("label too long");
        }
        var split = SplitLabels(CodePoints(input));
        var trailingDot = split[^1].Count == 0;
        if (trailingDot)
        {
            split.RemoveAt(split.Count - 1);
        }
        var result = string.Join('.', split.Select(ToAscii));
        return trailingDot ? result + "." : result;
    }

    /// <summary>
    /// The code points of <paramref name="text"/> as Python sees the same string: a surrogate
    /// pair is one code point, a lone surrogate is a code point of its own.
    /// </summary>
    public static List<int> CodePoints(string text)
    {
        var result = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result.Add(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else
            {
                result.Add(text[i]);
            }
        }
        return result;
    }

    /// <summary>
    /// Python's <c>repr()</c> of the one-character string <paramref name="codePoint"/>, as nameprep's
    /// "Invalid character %r" shows it. Printability is Python's (from the generated table), which
    /// is known for the code points nameprep prohibits, the only ones that reach the message.
    /// </summary>
    public static string Repr(int codePoint) => codePoint switch
    {
        '\'' => "\"'\"",
        '\\' => @"'\\'",
        '\t' => @"'\t'",
        '\n' => @"'\n'",
        '\r' => @"'\r'",
        < 0x20 or 0x7f => $@"'\x{codePoint:x2}'",
        < 0x7f => $"'{(char)codePoint}'",
        _ when IdnaTables.InRanges(IdnaTables.PrintableProhibited, codePoint) => $"'{char.ConvertFromUtf32(codePoint)}'",
        <= 0xff => $@"'\x{codePoint:x2}'",
        <= 0xffff => $@"'\u{codePoint:x4}'",
        _ => $@"'\U{codePoint:x8}'",
    };

    private static List<List<int>> SplitLabels(List<int> codePoints)
    {
        var labels = new List<List<int>> { new() };
        foreach (var c in codePoints)
        {
            if (c is '.' or '\u3002' or '\uff0e' or '\uff61')
            {
                labels.Add([]);
            }
            else
            {
                labels[^1].Add(c);
            }
        }
        return labels;
    }

    // RFC 3490 ToASCII with UseSTD3ASCIIRules false, as idna.py's ToASCII.
    private static string ToAscii(List<int> label)
    {
        if (label.TrueForAll(c => c < 0x80))
        {
            return CheckedLength(AsciiText(label));
        }
        label = Nameprep(label);
        if (label.TrueForAll(c => c < 0x80))
        {
            return CheckedLength(AsciiText(label));
        }
        if (label.Take(AcePrefix.Length).SequenceEqual(AcePrefix.Select(c => (int)c)))
        {
            throw Fail("Label starts with ACE prefix");
        }
        return CheckedLength(AcePrefix + Punycode.Encode(label));
    }

    // RFC 3491 as idna.py's nameprep: map (B.1, B.2), NFKC of Unicode 3.2, prohibit, bidi.
    private static List<int> Nameprep(List<int> label)
    {
        var mapped = new List<int>(label.Count);
        foreach (var c in label)
        {
            if (IdnaTables.InRanges(IdnaTables.MappedToNothing, c))
            {
                continue;
            }
            if (IdnaTables.CaseFold(c) is { } folded)
            {
                mapped.AddRange(folded);
            }
            else
            {
                mapped.Add(c);
            }
        }
        var normalized = Nfkc32.Normalize(mapped);
        foreach (var c in normalized)
        {
            if (IdnaTables.InRanges(IdnaTables.Prohibited, c))
            {
                throw Fail($"Invalid character {Repr(c)}");
            }
        }
        if (normalized.Exists(c => IdnaTables.InRanges(IdnaTables.RandAL, c)))
        {
            if (normalized.Exists(c => IdnaTables.InRanges(IdnaTables.LeftToRight, c)))
            {
                throw Fail("Violation of BIDI requirement 2");
            }
            if (!IdnaTables.InRanges(IdnaTables.RandAL, normalized[0]) || !IdnaTables.InRanges(IdnaTables.RandAL, normalized[^1]))
            {
                throw Fail("Violation of BIDI requirement 3");
            }
        }
        return normalized;
    }

    private static string CheckedLength(string label) =>
        label.Length is > 0 and < 64 ? label : throw Fail("label empty or too long");

    private static string AsciiText(IEnumerable<int> codePoints)
    {
        var text = new StringBuilder();
        foreach (var c in codePoints)
        {
            text.Append((char)c);
        }
        return text.ToString();
    }

    private static PythonException Fail(string why) =>
        PythonErrors.Raise("UnicodeError", $"encoding with 'idna' codec failed (UnicodeError: {why})");
}
