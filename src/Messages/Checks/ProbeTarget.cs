using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agent.Messages.Checks;

/// <summary>What a probe does with its target.</summary>
public enum ProbeKind
{
    /// <summary><c>dns:NAME</c>: getaddrinfo through the resolver actors.</summary>
    Dns,

    /// <summary><c>tcp:HOST:PORT</c>: create_connection (Happy Eyeballs), then close.</summary>
    Tcp,

    /// <summary><c>tcp-echo:HOST:PORT</c>: connect, send a payload, verify every byte comes back.</summary>
    TcpEcho,

    /// <summary><c>udp-echo:HOST:PORT</c>: numbered datagrams echoed back; lost, duplicated, reordered, late counted.</summary>
    UdpEcho,

    /// <summary><c>unix-echo:PATH</c>: as tcp-echo over a Unix stream socket.</summary>
    UnixEcho,

    /// <summary><c>unix-dgram-echo:PATH</c>: as udp-echo over a Unix datagram socket.</summary>
    UnixDgramEcho,
}

/// <summary>
/// A probe target in the one grammar of config, CLI, API and output: <c>dns:NAME</c>, <c>tcp:HOST:PORT</c>,
/// <c>tcp-echo:HOST:PORT</c>, <c>udp-echo:HOST:PORT</c>, <c>unix-echo:PATH</c>, <c>unix-dgram-echo:PATH</c>.
/// HOST:PORT and PATH are the <see cref="Endpoint"/> grammar's (IPv6 literals in brackets, <c>@name</c> for the
/// abstract namespace), parsed by <see cref="Endpoint"/> itself; a target additionally needs a host, a port above 0
/// and a path, since a probe must reach something. Written to JSON as its text.
/// </summary>
[JsonConverter(typeof(ProbeTargetJsonConverter))]
public readonly record struct ProbeTarget : IParsable<ProbeTarget>
{
    /// <summary>The longest <c>dns:</c> name, in characters (what getaddrinfo's callers refuse above, as the CLI does).</summary>
    public const int MaxNameLength = 253;

    private const string Expected =
        "expected dns:NAME, tcp:HOST:PORT, tcp-echo:HOST:PORT, udp-echo:HOST:PORT, unix-echo:PATH or unix-dgram-echo:PATH";

    private readonly string? _name;

    private ProbeTarget(ProbeKind kind, string name, Endpoint endpoint)
    {
        Kind = kind;
        _name = name;
        Endpoint = endpoint;
    }

    /// <summary>The probe kind (the scheme).</summary>
    public ProbeKind Kind { get; }

    /// <summary>The name of a <c>dns:</c> target; <c>""</c> otherwise.</summary>
    public string Name => _name ?? "";

    /// <summary>
    /// Where a socket probe goes: <c>tcp:HOST:PORT</c> for tcp and tcp-echo, <c>udp:HOST:PORT</c> for udp-echo,
    /// <c>unix:PATH</c> and <c>unix-dgram:PATH</c> for the Unix kinds; <c>default</c> for dns.
    /// </summary>
    public Endpoint Endpoint { get; }

    /// <summary>True for the Unix kinds, which have no address family to choose.</summary>
    public bool IsUnix => Kind is ProbeKind.UnixEcho or ProbeKind.UnixDgramEcho;

    /// <summary>The scheme as written: <c>dns</c>, <c>tcp</c>, <c>tcp-echo</c>, <c>udp-echo</c>, <c>unix-echo</c>, <c>unix-dgram-echo</c>.</summary>
    public static string SchemeOf(ProbeKind kind) => kind switch
    {
        ProbeKind.Dns => "dns",
        ProbeKind.Tcp => "tcp",
        ProbeKind.TcpEcho => "tcp-echo",
        ProbeKind.UdpEcho => "udp-echo",
        ProbeKind.UnixEcho => "unix-echo",
        ProbeKind.UnixDgramEcho => "unix-dgram-echo",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A <c>dns:NAME</c> target; throws <see cref="FormatException"/> on a bad name.</summary>
    public static ProbeTarget Dns(string name) => Parse("dns:" + name);

    /// <summary>The target probing <paramref name="endpoint"/> as <paramref name="kind"/> (not dns); throws <see cref="FormatException"/>.</summary>
    public static ProbeTarget Of(ProbeKind kind, Endpoint endpoint) =>
        Parse(SchemeOf(kind) + ":" + AfterScheme(endpoint));

    /// <inheritdoc />
    public override string ToString() =>
        Kind == ProbeKind.Dns ? "dns:" + Name : SchemeOf(Kind) + ":" + AfterScheme(Endpoint);

    /// <summary>Parses the target grammar; throws <see cref="FormatException"/> with a message naming the problem.</summary>
    public static ProbeTarget Parse(string text) =>
        TryParse(text, out var target, out var error) ? target : throw new FormatException(error);

    /// <inheritdoc />
    public static ProbeTarget Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ProbeTarget result) =>
        TryParse(s, out result, out _);

    /// <summary>Parses the target grammar without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ProbeTarget target, [NotNullWhen(false)] out string? error)
    {
        target = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty target: " + Expected;
            return false;
        }
        var shown = Endpoint.Escaped(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            error = $"'{shown}' has no scheme: {Expected}";
            return false;
        }
        var scheme = text[..colon];
        var rest = text[(colon + 1)..];
        (ProbeKind Kind, string EndpointScheme)? parsed = scheme switch
        {
            "dns" => (ProbeKind.Dns, ""),
            "tcp" => (ProbeKind.Tcp, "tcp"),
            "tcp-echo" => (ProbeKind.TcpEcho, "tcp"),
            "udp-echo" => (ProbeKind.UdpEcho, "udp"),
            "unix-echo" => (ProbeKind.UnixEcho, "unix"),
            "unix-dgram-echo" => (ProbeKind.UnixDgramEcho, "unix-dgram"),
            _ => null,
        };
        if (parsed is not { } p)
        {
            error = $"unknown scheme '{Endpoint.Escaped(scheme)}' in '{shown}': {Expected}";
            return false;
        }
        if (p.Kind == ProbeKind.Dns)
        {
            return TryParseName(shown, rest, out target, out error);
        }
        var endpointText = p.EndpointScheme + ":" + rest;
        if (!Endpoint.TryParse(endpointText, out var endpoint, out var endpointError))
        {
            // Escaped whole: the endpoint parser quotes a bad host as given, control characters and all.
            error = Endpoint.Escaped(InTermsOfTarget(endpointError, endpointText, shown));
            return false;
        }
        if (endpoint.IsUnix ? endpoint.Path.Length == 0 : endpoint.Host.Length == 0)
        {
            error = endpoint.IsUnix
                ? $"'{shown}': a probe needs a path"
                : $"'{shown}': a probe needs a host (an empty host means every address, which names no peer)";
            return false;
        }
        if (!endpoint.IsUnix && endpoint.Port == 0)
        {
            error = $"'{shown}': a probe needs a port 1-65535, got 0";
            return false;
        }
        if (endpoint.IsBroadcast)
        {
            error = $"'{shown}': a probe cannot target {Endpoint.BroadcastHost} (every host on the link would answer)";
            return false;
        }
        target = new ProbeTarget(p.Kind, "", endpoint);
        error = null;
        return true;
    }

    private static bool TryParseName(string shown, string name, out ProbeTarget target, [NotNullWhen(false)] out string? error)
    {
        target = default;
        if (name.Length == 0)
        {
            error = $"'{shown}': expected dns:NAME";
        }
        else if (name.Any(char.IsControl))
        {
            // A newline in a name would split every log and output line that names the target.
            error = $"'{shown}': a name cannot contain control characters";
        }
        else if (name.Any(char.IsWhiteSpace))
        {
            error = $"'{shown}': a name cannot contain white space";
        }
        else if (name.Length > MaxNameLength)
        {
            error = $"'{shown}': name too long ({name.Length} characters, at most {MaxNameLength})";
        }
        else
        {
            target = new ProbeTarget(ProbeKind.Dns, name, default);
            error = null;
            return true;
        }
        return false;
    }

    // The endpoint parser quotes the endpoint text it was given; the user wrote the target, so quote that instead.
    private static string InTermsOfTarget(string endpointError, string endpointText, string shown)
    {
        foreach (var quoted in new[] { $"'{Endpoint.Escaped(endpointText)}'", $"'{endpointText}'" })
        {
            if (endpointError.StartsWith(quoted, StringComparison.Ordinal))
            {
                return $"'{shown}'" + endpointError[quoted.Length..];
            }
        }
        return $"'{shown}': {endpointError}";
    }

    private static string AfterScheme(Endpoint endpoint)
    {
        var text = endpoint.ToString();
        return text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }
}

/// <summary>Writes a <see cref="ProbeTarget"/> as its grammar string; a bad one read is a <see cref="JsonException"/> naming the problem.</summary>
public sealed class ProbeTargetJsonConverter : JsonConverter<ProbeTarget>
{
    /// <inheritdoc />
    public override ProbeTarget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return ProbeTarget.TryParse(text, out var target, out var error) ? target : throw new JsonException(error);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ProbeTarget value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
