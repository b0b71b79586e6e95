using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Agent.Node;

/// <summary>
/// A <c>HOST:PORT</c> the node listens on or connects to (remoting, seeds, the API): an IPv4 literal, an IPv6 literal in
/// brackets (<c>[::1]:4053</c>) or a DNS name, and a port 0-65535 (0: any free port, for listening).
/// </summary>
internal sealed partial record HostPort(string Host, int Port)
{
    /// <summary>True for a loopback literal or <c>localhost</c>: reachable from this machine only.</summary>
    public bool IsLoopback => IsLoopbackHost(Host);

    /// <summary>True when <paramref name="host"/> (an IPv6 literal with or without brackets) is a loopback literal or <c>localhost</c>.</summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>The host as a URL or Akka address needs it (IPv6 in brackets).</summary>
    public string UriHost => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    /// <summary>Parses <paramref name="text"/>; <paramref name="error"/> says what is wrong when it returns false.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HostPort? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        text ??= "";
        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"'{Messages.Endpoint.Escaped(text)}' is not HOST:PORT (an IPv6 address goes in brackets: [::1]:4053)";
                return false;
            }
            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"'{Messages.Endpoint.Escaped(host)}' in '{Messages.Endpoint.Escaped(text)}' is not an IPv6 address";
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{Messages.Endpoint.Escaped(text)}' is not HOST:PORT (an IPv6 address goes in brackets: [::1]:4053)";
                return false;
            }
            host = text[..colon];
            port = text[(colon + 1)..];
            if (!IPAddress.TryParse(host, out _) && !DnsName().IsMatch(host))
            {
                error = $"'{Messages.Endpoint.Escaped(host)}' in '{Messages.Endpoint.Escaped(text)}' is neither an IP address nor a host name";
                return false;
            }
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            error = $"the port of '{Messages.Endpoint.Escaped(text)}' must be 0-65535";
            return false;
        }
        result = new HostPort(host, number);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{UriHost}:{Port}";

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")]
    private static partial Regex DnsName();
}
