using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Serialization;

namespace Agent.Messages;

/// <summary>
/// A socket address in the one grammar used by the CLI, config, messages and output:
/// <c>tcp:HOST:PORT</c>, <c>udp:HOST:PORT</c>, <c>unix:PATH</c>, <c>unix-dgram:PATH</c>.
/// IPv6 literals go in brackets (<c>tcp:[::1]:10000</c>, <c>tcp:[fe80::1%eth0]:80</c>), an empty
/// host means INADDR_ANY (<c>tcp::10000</c>), <c>udp:&lt;broadcast&gt;:PORT</c> means
/// INADDR_BROADCAST, and <c>unix:@name</c> names the Linux abstract namespace. <c>unix:</c> with
/// no path is an unnamed Unix socket (what <c>getpeername</c> returns for an accepted client).
/// </summary>
[JsonConverter(typeof(EndpointJsonConverter))]
public readonly record struct Endpoint : IParsable<Endpoint>
{
    /// <summary>The longest Unix path, in UTF-8 bytes: <c>sun_path</c> is 108 bytes including the NUL.</summary>
    public const int MaxUnixPathBytes = 107;

    /// <summary>Python's spelling of INADDR_BROADCAST.</summary>
    public const string BroadcastHost = "<broadcast>";

    private readonly string? _host;
    private readonly string? _path;

    private Endpoint(EndpointKind kind, string host, int port, string path)
    {
        Kind = kind;
        _host = host;
        Port = port;
        _path = path;
    }

    /// <summary>The scheme.</summary>
    public EndpointKind Kind { get; }

    /// <summary>The host for tcp/udp: a name, an IPv4 literal, an IPv6 literal without brackets
    /// (with <c>%scope</c> if any), <c>""</c> for any address or <c>&lt;broadcast&gt;</c>; <c>""</c> for Unix.</summary>
    public string Host => _host ?? "";

    /// <summary>The port for tcp/udp (0 asks the kernel for a free one); 0 for Unix.</summary>
    public int Port { get; }

    /// <summary>The Unix path (<c>@name</c> for the abstract namespace); <c>""</c> for tcp/udp.</summary>
    public string Path => _path ?? "";

    /// <summary>True for <c>tcp:</c> and <c>unix:</c>.</summary>
    public bool IsStream => Kind is EndpointKind.Tcp or EndpointKind.Unix;

    /// <summary>True for <c>unix:</c> and <c>unix-dgram:</c>.</summary>
    public bool IsUnix => Kind is EndpointKind.Unix or EndpointKind.UnixDgram;

    /// <summary>True for a tcp/udp endpoint with an empty host (INADDR_ANY).</summary>
    public bool IsAnyHost => !IsUnix && Host.Length == 0;

    /// <summary>True for <c>udp:&lt;broadcast&gt;:PORT</c>.</summary>
    public bool IsBroadcast => Host == BroadcastHost;

    /// <summary>True for a Unix endpoint in the Linux abstract namespace (<c>unix:@name</c>).</summary>
    public bool IsAbstract => IsUnix && Path.StartsWith('@');

    /// <summary>A <c>tcp:HOST:PORT</c> endpoint; throws <see cref="FormatException"/> on a bad host or port.</summary>
    public static Endpoint Tcp(string host, int port) => Parse(Format(EndpointKind.Tcp, host, port, ""));

    /// <summary>A <c>udp:HOST:PORT</c> endpoint; throws <see cref="FormatException"/> on a bad host or port.</summary>
    public static Endpoint Udp(string host, int port) => Parse(Format(EndpointKind.Udp, host, port, ""));

    /// <summary>A <c>unix:PATH</c> endpoint; throws <see cref="FormatException"/> on a bad path.</summary>
    public static Endpoint Unix(string path) => Parse(Format(EndpointKind.Unix, "", 0, path));

    /// <summary>A <c>unix-dgram:PATH</c> endpoint; throws <see cref="FormatException"/> on a bad path.</summary>
    public static Endpoint UnixDgram(string path) => Parse(Format(EndpointKind.UnixDgram, "", 0, path));

    /// <summary>
    /// A Unix address as the OS reported it (a peer's bound name), taken as it is: unlike the grammar, which refuses
    /// them, it may hold control characters, which <see cref="ToString"/> writes escaped (<c>\x0a</c>) so no log
    /// line or output can be split or forged by a peer's chosen name.
    /// </summary>
    public static Endpoint OfUnixAddress(EndpointKind kind, string path) =>
        kind is EndpointKind.Unix or EndpointKind.UnixDgram
            ? new Endpoint(kind, "", 0, path)
            : throw new ArgumentOutOfRangeException(nameof(kind), "a Unix kind is expected");

    /// <summary>The same endpoint with another port (tcp/udp only).</summary>
    public Endpoint WithPort(int port) =>
        IsUnix ? throw new InvalidOperationException($"{this} has no port") : Parse(Format(Kind, Host, port, ""));

    /// <summary>The scheme as written: <c>tcp</c>, <c>udp</c>, <c>unix</c> or <c>unix-dgram</c>.</summary>
    public static string SchemeOf(EndpointKind kind) => kind switch
    {
        EndpointKind.Tcp => "tcp",
        EndpointKind.Udp => "udp",
        EndpointKind.Unix => "unix",
        EndpointKind.UnixDgram => "unix-dgram",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <inheritdoc />
    public override string ToString() => Format(Kind, Host, Port, Path);

    /// <summary>Parses the endpoint grammar; throws <see cref="FormatException"/> with a message naming the problem.</summary>
    public static Endpoint Parse(string text) =>
        TryParse(text, out var endpoint, out var error) ? endpoint : throw new FormatException(error);

    /// <inheritdoc />
    public static Endpoint Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Endpoint result) =>
        TryParse(s, out result, out _);

    /// <summary>Parses the endpoint grammar without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text, out Endpoint endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty endpoint: expected tcp:HOST:PORT, udp:HOST:PORT, unix:PATH or unix-dgram:PATH";
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            error = $"'{text}' has no scheme: expected tcp:HOST:PORT, udp:HOST:PORT, unix:PATH or unix-dgram:PATH";
            return false;
        }
        var scheme = text[..colon];
        var rest = text[(colon + 1)..];
        switch (scheme)
        {
            case "tcp":
                return TryParseInet(EndpointKind.Tcp, text, rest, out endpoint, out error);
            case "udp":
                return TryParseInet(EndpointKind.Udp, text, rest, out endpoint, out error);
            case "unix":
                return TryParseUnix(EndpointKind.Unix, text, rest, out endpoint, out error);
            case "unix-dgram":
                return TryParseUnix(EndpointKind.UnixDgram, text, rest, out endpoint, out error);
            default:
                error = $"unknown scheme '{scheme}' in '{text}': expected tcp, udp, unix or unix-dgram";
                return false;
        }
    }

    private static bool TryParseUnix(
        EndpointKind kind, string text, string path, out Endpoint endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = default;
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = $"'{Escaped(text)}': a Unix path cannot contain a NUL byte";
            return false;
        }
        if (path.Any(char.IsControl))
        {
            // A newline in a path would split every log line and output line that names it.
            error = $"'{Escaped(text)}': a Unix path cannot contain control characters";
            return false;
        }
        if (path == "@")
        {
            error = $"'{text}': an abstract Unix name needs at least one character after '@'";
            return false;
        }
        if (Encoding.UTF8.GetByteCount(path) > MaxUnixPathBytes)
        {
            error = $"'{text}': Unix path too long ({Encoding.UTF8.GetByteCount(path)} bytes, at most {MaxUnixPathBytes})";
            return false;
        }
        endpoint = new Endpoint(kind, "", 0, path);
        error = null;
        return true;
    }

    private static bool TryParseInet(
        EndpointKind kind, string text, string rest, out Endpoint endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = default;
        string host;
        string portText;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}': missing ']' after the IPv6 literal";
                return false;
            }
            host = rest[1..close];
            if (!IsIPv6Literal(host))
            {
                error = $"'{text}': '{host}' is not an IPv6 address";
                return false;
            }
            if (close + 1 >= rest.Length || rest[close + 1] != ':')
            {
                error = $"'{text}': expected ':PORT' after ']'";
                return false;
            }
            portText = rest[(close + 2)..];
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"'{text}': expected {SchemeOf(kind)}:HOST:PORT";
                return false;
            }
            host = rest[..colon];
            portText = rest[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = $"'{text}': an IPv6 address must be written in brackets, e.g. {SchemeOf(kind)}:[::1]:{portText}";
                return false;
            }
            if (host == BroadcastHost)
            {
                if (kind != EndpointKind.Udp)
                {
                    error = $"'{text}': {BroadcastHost} is only meaningful for udp";
                    return false;
                }
            }
            else if (host.Length > 0 && !IsHostName(host))
            {
                error = $"'{text}': '{host}' is not a host name or IPv4 address";
                return false;
            }
        }
        if (portText.Length == 0 || portText.Length > 6 || !portText.All(char.IsAsciiDigit))
        {
            error = $"'{text}': port must be a number 0-65535, got '{portText}'";
            return false;
        }
        var port = int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (port > 65535)
        {
            error = $"'{text}': port must be 0-65535, got {port}";
            return false;
        }
        endpoint = new Endpoint(kind, host, port, "");
        error = null;
        return true;
    }

    private static bool IsIPv6Literal(string host)
    {
        var percent = host.IndexOf('%', StringComparison.Ordinal);
        var address = percent < 0 ? host : host[..percent];
        if (percent >= 0 && (percent == host.Length - 1 || !host[(percent + 1)..].All(IsScopeChar)))
        {
            return false;
        }
        return address.Contains(':', StringComparison.Ordinal)
            && IPAddress.TryParse(address, out var ip)
            && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    private static bool IsScopeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    // RFC 1123 names (plus '_', which real resolvers accept); IPv4 literals pass as all-digit labels.
    private static bool IsHostName(string host)
    {
        if (host.Length > 253)
        {
            return false;
        }
        foreach (var label in host.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static string Format(EndpointKind kind, string host, int port, string path) => kind switch
    {
        EndpointKind.Tcp or EndpointKind.Udp when host.Contains(':', StringComparison.Ordinal) =>
            $"{SchemeOf(kind)}:[{host}]:{port.ToString(CultureInfo.InvariantCulture)}",
        EndpointKind.Tcp or EndpointKind.Udp => $"{SchemeOf(kind)}:{host}:{port.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{SchemeOf(kind)}:{Escaped(path)}",
    };

    /// <summary>
    /// <paramref name="text"/> with control characters as <c>\xNN</c>, everything else as it is: how text from outside
    /// (an address the OS reported, a value from a config layer) is shown in one line of output or a log.
    /// </summary>
    public static string Escaped(string text) =>
        text.Any(char.IsControl)
            ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()))
            : text;
}
