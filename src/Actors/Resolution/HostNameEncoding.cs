using Agent.Actors.Resolution.Idna;

namespace Agent.Actors.Resolution;

/// <summary>
/// How CPython turns a host name into the bytes it gives libc: the <c>idna</c> codec
/// (getaddrinfo, gethostbyname, gethostbyname_ex, gethostbyaddr; getnameinfo sends UTF-8),
/// plus the argument checks Agent adds (no NUL, at most 253 characters).
/// </summary>
public static class HostNameEncoding
{
    /// <summary>The longest host name accepted; DNS names have at most 253 characters of text.</summary>
    public const int MaxLength = 253;

    private static readonly char[] PythonWhitespace = WhitespaceChars();

    /// <summary>
    /// Why <paramref name="name"/> is refused as an argument (Agent's own rule, never sent
    /// to libc), or null when it is acceptable.
    /// </summary>
    public static string? ArgumentProblem(string? name, string what = "host name")
    {
        if (name is null)
        {
            return null;
        }
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return $"{what} contains a NUL byte";
        }
        if (name.Length > MaxLength)
        {
            return $"{what} is longer than {MaxLength} characters ({name.Length})";
        }
        return null;
    }

    /// <summary>
    /// <c>name.encode('idna')</c> as CPython does it before calling libc: an ASCII name as it is
    /// (after the label-length checks), a non-ASCII one through nameprep and punycode
    /// (<c>bücher.example</c> is <c>xn--bcher-kva.example</c>). Throws Python's UnicodeError.
    /// </summary>
    public static string Encode(string name) => IdnaCodec.Encode(name);

    /// <summary>Python's <c>str.strip()</c>: removes what <c>str.isspace()</c> calls whitespace, which is more than ASCII's.</summary>
    public static string StripPython(string text) => text.Trim(PythonWhitespace);

    private static char[] WhitespaceChars()
    {
        var ranges = IdnaTables.Whitespace;
        var chars = new List<char>();
        for (var i = 0; i < ranges.Length; i += 2)
        {
            for (var c = ranges[i]; c <= ranges[i + 1]; c++)
            {
                chars.Add((char)c);
            }
        }
        return [.. chars];
    }
}
