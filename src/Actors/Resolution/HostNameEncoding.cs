namespace Agent.Actors.Resolution;

/// <summary>
/// The checks CPython applies when it encodes a host name with the <c>idna</c> codec
/// before calling libc (getaddrinfo, gethostbyname, gethostbyname_ex, gethostbyaddr),
/// plus the argument checks Agent adds (no NUL, at most 253 characters, ASCII only).
/// </summary>
public static class HostNameEncoding
{
    /// <summary>The longest host name accepted; DNS names have at most 253 characters of text.</summary>
    public const int MaxLength = 253;

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
        foreach (var c in name)
        {
            if (c > 0x7f)
            {
                // Python would apply IDNA 2003 nameprep here; Agent does not implement it.
                return $"{what} has non-ASCII characters; pass the IDNA (xn--) form";
            }
        }
        return null;
    }

    /// <summary>
    /// The ASCII fast path of Python's <c>idna</c> codec: every label but the last must be
    /// 1..63 characters, the last at most 63. Throws Python's UnicodeError otherwise.
    /// </summary>
    public static void CheckIdnaLabels(string name)
    {
        var labels = name.Split('.');
        for (var i = 0; i < labels.Length - 1; i++)
        {
            if (labels[i].Length is 0 or > 63)
            {
                throw Fail("label empty or too long");
            }
        }
        if (labels[^1].Length >= 64)
        {
            throw Fail("label too long");
        }
    }

    private static PythonException Fail(string why) =>
        PythonErrors.Raise("UnicodeError", $"encoding with 'idna' codec failed (UnicodeError: {why})");
}
