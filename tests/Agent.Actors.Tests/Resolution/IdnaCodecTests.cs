using Agent.Actors.Resolution;
using Agent.Actors.Resolution.Idna;

namespace Agent.Actors.Tests.Resolution;

/// <summary>Known answers of CPython 3.11's <c>name.encode('idna')</c>, results and error messages.</summary>
public sealed class IdnaCodecTests
{
    private const string Prefix = "encoding with 'idna' codec failed (UnicodeError: ";

    [Theory]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("ß.example", "ss.example")]                          // IDNA 2003 maps sharp s (UTS #46 nontransitional keeps it)
    [InlineData("ς.σ.ß", "xn--4xa.xn--4xa.ss")]                      // final sigma folds to sigma
    [InlineData("BÜCHER.Example", "xn--bcher-kva.Example")]          // ASCII labels keep their case
    [InlineData("bücher\u3002", "xn--bcher-kva.")]                   // one trailing separator, of any kind, stays a dot
    [InlineData("１２７．０．０．１", "127.0.0.1")]                  // full-width digits and dots: NFKC to a numeric host
    [InlineData("a\u0221b", "xn--ab-19a")]                           // unassigned in Unicode 3.2: allowed (AllowUnassigned)
    [InlineData("\u1b05\u1b35", "xn--9sf")]                          // newer than 3.2, yet composed: CPython composes with its own tables
    [InlineData("a\u0300\u0618", "xn--0ca68x")]                      // and orders marks by its own combining classes
    [InlineData("\u200d\u200cab\u00e9", "xn--ab-cja")]               // ZWJ and ZWNJ map to nothing
    [InlineData("\u05d0\u05d1", "xn--4dbc")]
    [InlineData("العربية", "xn--mgbcd4a2b0d2b")]
    [InlineData("他们为什么不说中文", "xn--ihqwcrb4cv8a8dqg056pqjye")]  // RFC 3492 7.1 sample (B)
    [InlineData("a\u00a0b", "a b")]                                  // NFKC gives a space, which nameprep lets through
    [InlineData("\u01f0", "xn--ska")]                                // case folds to two code points, NFKC joins them again
    [InlineData("\u0130", "xn--i-9bb")]
    [InlineData("\ufdfa", "xn--   -oze6dh5a3fcaccnvdrg0a")]          // the longest decomposition, spaces included
    [InlineData("\ufb00", "ff")]
    [InlineData("\U0001d400bc", "abc")]
    [InlineData("Ⅻ.com", "xii.com")]
    [InlineData("\u03b5\u0301\u0313", "xn--3sa12a")]
    [InlineData("", "")]
    [InlineData("localhost.", "localhost.")]
    public void Encode_KnownNames_AsPython(string name, string expected) =>
        Assert.Equal(expected, HostNameEncoding.Encode(name));

    [Theory]
    [InlineData("ü..", "label empty or too long")]
    [InlineData("\u3002", "label empty or too long")]
    [InlineData("ü\uff61\uff0e", "label empty or too long")]
    [InlineData("\u00ad\u200b", "label empty or too long")]        // a label nameprep maps to nothing
    [InlineData("a..b", "label empty or too long")]
    [InlineData("a\u0080b", @"Invalid character '\x80'")]
    [InlineData("a\u1680b", @"Invalid character '\u1680'")]
    [InlineData("a\u2028b", @"Invalid character '\u2028'")]
    [InlineData("a\U000e0001b", @"Invalid character '\U000e0001'")]
    [InlineData("a\ufffcb", "Invalid character '\ufffc'")]          // printable, so repr shows it as it is
    [InlineData("a\u2ff0b", "Invalid character '\u2ff0'")]
    [InlineData("\u05d0a\u05d0", "Violation of BIDI requirement 2")]
    [InlineData("\u05d01", "Violation of BIDI requirement 3")]
    [InlineData("xn--abcé", "Label starts with ACE prefix")]
    [InlineData("XN--é", "Label starts with ACE prefix")]          // after nameprep lowercased it
    public void Encode_BadNames_UnicodeErrorWithPythonsMessage(string name, string why)
    {
        var e = Assert.Throws<PythonException>(() => HostNameEncoding.Encode(name));
        Assert.Equal("UnicodeError", e.Error.Kind);
        Assert.Null(e.Error.Errno);
        Assert.Equal(Prefix + why + ")", e.Error.Strerror);
    }

    [Fact]
    public void Encode_LoneSurrogate_ProhibitedAsInPython()
    {
        // Built in code: an attribute cannot carry a lone surrogate.
        var name = "a" + (char)0xd800 + "b";
        Assert.Equal(Prefix + @"Invalid character '\ud800')", Assert.Throws<PythonException>(() => HostNameEncoding.Encode(name)).Error.Strerror);
    }

    [Fact]
    public void Encode_LabelLengths_63OctetsAfterEncodingIsTheLimit()
    {
        Assert.Equal(new string('a', 63), HostNameEncoding.Encode(new string('a', 63)));
        Assert.Equal(Prefix + "label too long)", Assert.Throws<PythonException>(() => HostNameEncoding.Encode(new string('a', 64))).Error.Strerror);
        Assert.Equal(Prefix + "label too long)", Assert.Throws<PythonException>(() => HostNameEncoding.Encode("a." + new string('b', 64))).Error.Strerror);
        // Past the ASCII fast path every label, the last too, gets the other message.
        Assert.Equal(Prefix + "label empty or too long)", Assert.Throws<PythonException>(() => HostNameEncoding.Encode("ü." + new string('b', 64))).Error.Strerror);
        Assert.Equal(Prefix + "label empty or too long)", Assert.Throws<PythonException>(() => HostNameEncoding.Encode("ü" + new string('a', 70))).Error.Strerror);
    }

    [Theory]
    [InlineData(new[] { 0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645, 0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F }, "egbpdaj6bu4bxfgehfvwxn")]
    [InlineData(new[] { 0x0033, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F }, "3B-ww4c5e180e575a65lsy2b")]
    [InlineData(new[] { 0x10FFFF, 0x80 }, "a97093t")]
    public void Punycode_Rfc3492Samples(int[] codePoints, string expected) =>
        Assert.Equal(expected, Punycode.Encode(codePoints));

    [Theory]
    [InlineData(" \u3000localhost\u001c\u0085", "localhost")]
    [InlineData("\tbücher.example\u00a0", "bücher.example")]
    public void StripPython_RemovesWhatStrIsspaceCallsWhitespace(string text, string expected) =>
        Assert.Equal(expected, HostNameEncoding.StripPython(text));

    [Fact]
    public async Task GeneratedTables_AreWhatTheScriptGeneratesFromThisPython()
    {
        var script = Path.Combine(RepoRoot(), "tools", "idna", "gen_stringprep_tables.py");
        // Throws with the script's stderr when the file differs (hand-edited, or another Python's Unicode).
        await ProcessRunner.RunAsync("python3", [script, "--check"]);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("no Agent.sln above " + AppContext.BaseDirectory);
    }
}
