using System.Globalization;
using System.Numerics;

namespace Agent.Cli;

/// <summary>Parses the symbolic arguments of resolve/lookup/addr into the numbers libc takes.</summary>
internal static class CliArguments
{
    public static readonly Dictionary<string, int> Families = new(StringComparer.Ordinal) { ["any"] = 0, ["inet"] = 2, ["inet6"] = 10 };

    public static readonly Dictionary<string, int> Types = new(StringComparer.Ordinal) { ["any"] = 0, ["stream"] = 1, ["dgram"] = 2, ["raw"] = 3 };

    public static readonly Dictionary<string, int> AddrInfoFlags = new(StringComparer.Ordinal)
    {
        ["passive"] = 0x1, ["canonname"] = 0x2, ["numerichost"] = 0x4, ["v4mapped"] = 0x8,
        ["all"] = 0x10, ["addrconfig"] = 0x20, ["numericserv"] = 0x400,
    };

    public static readonly Dictionary<string, int> NameInfoFlags = new(StringComparer.Ordinal)
    {
        ["numerichost"] = 0x1, ["numericserv"] = 0x2, ["nofqdn"] = 0x4, ["namereqd"] = 0x8, ["dgram"] = 0x10,
    };

    public static int Proto(string text) => text switch
    {
        "any" => 0,
        "tcp" => 6,
        "udp" => 17,
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 255 => n,
        _ => throw new UsageException($"unknown protocol '{text}' (expected any, tcp, udp or a number 0-255)"),
    };

    public static int Flags(string? text, Dictionary<string, int> known)
    {
        var flags = 0;
        foreach (var name in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            flags |= known.TryGetValue(name, out var bit)
                ? bit
                : throw new UsageException($"unknown flag '{name}' (expected {string.Join(", ", known.Keys)})");
        }
        return flags;
    }

    public static int Port(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new UsageException($"port '{text}' is not a number in 0..65535");
        }
        return port;
    }

    public static BigInteger Integer(string text) =>
        BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"'{text}' is not an integer");

    public static byte[] Hex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new UsageException($"'{text}' is not a hex string (like 7f000001)");
        }
    }
}
