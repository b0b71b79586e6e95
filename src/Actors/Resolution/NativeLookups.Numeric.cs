using Agent.Actors.Resolution.Interop;
using Agent.Messages.Resolution;

namespace Agent.Actors.Resolution;

public static partial class NativeLookups
{
    /// <summary>
    /// getaddrinfo for a request that needs no I/O: a numeric host (an IPv4 or IPv6 literal, with a scope) and a
    /// numeric or absent service. It runs libc's own getaddrinfo with AI_NUMERICHOST|AI_NUMERICSERV, which never
    /// consults NSS or DNS, so the result is libc's, flags included, and it is fast enough for an actor's turn.
    /// Null when the request is not such a one or libc says otherwise (the caller then asks as usual, so an
    /// error is always the one the full lookup gives).
    /// </summary>
    public static AddrInfoList? TryNumeric(GetAddrInfo request)
    {
        if (request.Host is not { Length: > 0 } host || !LooksNumeric(host) || request.Port is { } port && !IsNumber(port))
        {
            return null;
        }
        try
        {
            return new AddrInfoList(GetAddrInfo(host, request.Port, request.Family, request.Type, request.Proto,
                request.Flags | Libc.AI_NUMERICHOST | Libc.AI_NUMERICSERV));
        }
        catch (PythonException)
        {
            return null;
        }
    }

    // Only what an address literal can hold: hex digits, dots and colons, then an optional %scope. A name made of
    // hex letters ("cafe") passes this and is refused by libc, which costs one quick failed call.
    private static bool LooksNumeric(string host)
    {
        var percent = host.IndexOf('%', StringComparison.Ordinal);
        var address = percent < 0 ? host : host[..percent];
        return address.Length > 0 && address.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':');
    }

    private static bool IsNumber(string port) => port.Length > 0 && port.All(char.IsAsciiDigit);
}
