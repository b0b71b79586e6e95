using System.Text;

namespace Agent.Output;

/// <summary>Python's <c>repr()</c> of a bytes object (<c>b'This is the mess'</c>), so output matches the seed transcripts.</summary>
internal static class PyRepr
{
    public static string Bytes(ReadOnlySpan<byte> data)
    {
        var quote = data.Contains((byte)'\'') && !data.Contains((byte)'"') ? '"' : '\'';
        var text = new StringBuilder("b").Append(quote);
        foreach (var b in data)
        {
            switch (b)
            {
                case (byte)'\\':
                    text.Append(@"\\");
                    break;
                case (byte)'\t':
                    text.Append(@"\t");
                    break;
                case (byte)'\n':
                    text.Append(@"\n");
                    break;
                case (byte)'\r':
                    text.Append(@"\r");
                    break;
                case var c when c == quote:
                    text.Append('\\').Append(quote);
                    break;
                case < 0x20 or >= 0x7f:
                    text.Append(@"\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append((char)b);
                    break;
            }
        }
        return text.Append(quote).ToString();
    }
}
