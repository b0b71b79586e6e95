using System.Text;

namespace Agent.Actors.Resolution.Idna;

/// <summary>
/// RFC 3492 encoding as CPython's <c>punycode</c> codec writes it (Lib/encodings/punycode.py):
/// the basic code points, a '-' if there were any, then the deltas. Python's integers do not
/// overflow, so neither may these (<see cref="long"/> is ample for labels of any sane length).
/// </summary>
internal static class Punycode
{
    private const string Digits = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary><c>label.encode('punycode')</c> as ASCII text.</summary>
    public static string Encode(IReadOnlyList<int> label)
    {
        var output = new StringBuilder();
        foreach (var c in label)
        {
            if (c < 0x80)
            {
                output.Append((char)c);
            }
        }
        var basicLength = output.Length;
        if (basicLength > 0)
        {
            output.Append('-');
        }
        var bias = 72;
        var points = 0;
        foreach (var delta in InsertionUnsort(label))
        {
            GeneralizedInteger(output, delta, bias);
            bias = Adapt(delta, points == 0, basicLength + points + 1);
            points++;
        }
        return output.ToString();
    }

    // 3.2 insertion unsort coding, as punycode.py's insertion_unsort.
    private static List<long> InsertionUnsort(IReadOnlyList<int> label)
    {
        var result = new List<long>();
        long oldChar = 0x80;
        long oldIndex = -1;
        foreach (var c in label.Where(c => c >= 0x80).Distinct().Order())
        {
            var currentLength = label.Count(x => x < c);
            var delta = (currentLength + 1) * (c - oldChar);
            long index = -1;
            for (var pos = 0; pos < label.Count; pos++)
            {
                if (label[pos] == c)
                {
                    index++;
                    delta += index - oldIndex;
                    result.Add(delta - 1);
                    oldIndex = index;
                    delta = 0;
                }
                else if (label[pos] < c)
                {
                    index++;
                }
            }
            oldChar = c;
        }
        return result;
    }

    private static void GeneralizedInteger(StringBuilder output, long n, int bias)
    {
        for (var j = 0; ; j++)
        {
            var t = Math.Clamp((36 * (j + 1)) - bias, 1, 26);
            if (n < t)
            {
                output.Append(Digits[(int)n]);
                return;
            }
            output.Append(Digits[(int)(t + ((n - t) % (36 - t)))]);
            n = (n - t) / (36 - t);
        }
    }

    private static int Adapt(long delta, bool first, int numChars)
    {
        delta = first ? delta / 700 : delta / 2;
        delta += delta / numChars;
        var divisions = 0;
        while (delta > 455)
        {
            delta /= 35;
            divisions += 36;
        }
        return (int)(divisions + (36 * delta / (delta + 38)));
    }
}
