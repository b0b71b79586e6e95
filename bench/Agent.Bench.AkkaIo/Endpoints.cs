using System.Net;

namespace Agent.Bench.AkkaIo;

/// <summary>HOST:PORT and [IPv6]:PORT, read the way shared/bench's RawEcho reads them.</summary>
internal static class Endpoints
{
    public static IPEndPoint Parse(string s)
    {
        if (s.StartsWith('['))
        {
            if (IPEndPoint.TryParse(s, out IPEndPoint? v6) && s.Contains("]:", StringComparison.Ordinal))
                return v6;
            throw new FormatException($"bad address '{s}' (expected [IPv6]:PORT)");
        }
        int colon = s.LastIndexOf(':');
        if (colon <= 0 || s.IndexOf(':', StringComparison.Ordinal) != colon)
            throw new FormatException($"bad address '{s}' (expected HOST:PORT, or [IPv6]:PORT)");
        if (!int.TryParse(s.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
            throw new FormatException($"bad port in '{s}'");
        string host = s[..colon];
        if (!IPAddress.TryParse(host, out IPAddress? address))
        {
            try
            {
                address = Dns.GetHostAddresses(host).FirstOrDefault();
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new FormatException($"cannot resolve '{host}': {e.Message}", e);
            }
            if (address is null)
                throw new FormatException($"cannot resolve '{host}'");
        }
        return new IPEndPoint(address, port);
    }
}
