using System.Globalization;
using System.Text;
using Agent.Messages.Resolution;

namespace Agent.Output;

/// <summary>What Python's <c>print()</c> and <c>repr()</c> show for the values the socket functions return and the bytes the seeds print.</summary>
internal static class PythonRepr
{
    public static string Print(ResolutionResult result) => result switch
    {
        AddrInfoList r => List(r.Entries.Select(e => Tuple(
            Family(e.Family), Type(e.Type), Int(e.Proto), Str(e.CanonName), SockAddr(e.SockAddr)))),
        HostAddressList r => List(r.Addresses.Select(Str)),
        HostAddress r => r.Address,
        HostEntry r => Tuple(Str(r.HostName), List(r.Aliases.Select(Str)), List(r.Addresses.Select(Str))),
        HostNameResult r => r.Name,
        NameInfo r => Tuple(Str(r.Host), Str(r.Service)),
        ServicePort r => Int(r.Port),
        ServiceName r => r.Name,
        ProtocolNumber r => Int(r.Number),
        _ => result.ToString(),
    };

    public static string SockAddr(SockAddr a) => a.FlowInfo is { } flow
        ? Tuple(Str(a.Host), Int(a.Port), Int(flow), Int(a.ScopeId ?? 0))
        : Tuple(Str(a.Host), Int(a.Port));

    public static string Family(int family) => family switch
    {
        2 => "<AddressFamily.AF_INET: 2>",
        10 => "<AddressFamily.AF_INET6: 10>",
        _ => Int(family),
    };

    public static string Type(int type) => type switch
    {
        1 => "<SocketKind.SOCK_STREAM: 1>",
        2 => "<SocketKind.SOCK_DGRAM: 2>",
        3 => "<SocketKind.SOCK_RAW: 3>",
        _ => Int(type),
    };

    public static string Tuple(params string[] items) => items.Length == 1 ? $"({items[0]},)" : $"({string.Join(", ", items)})";

    public static string List(IEnumerable<string> items) => $"[{string.Join(", ", items)}]";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Python's str repr: single quotes unless the text has a single quote and no double quote.</summary>
    public static string Str(string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + c,
                _ when c < ' ' || c == '\x7f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return sb.Append(quote).ToString();
    }

    /// <summary>Python's <c>repr()</c> of a bytes object (<c>b'This is the mess'</c>), as the seed transcripts print it.</summary>
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
                    text.Append(@"\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append((char)b);
                    break;
            }
        }
        return text.Append(quote).ToString();
    }
}
