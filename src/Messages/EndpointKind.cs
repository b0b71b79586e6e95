namespace Agent.Messages;

/// <summary>The scheme of an <see cref="Endpoint"/>: which socket family and type it names.</summary>
public enum EndpointKind
{
    /// <summary><c>tcp:HOST:PORT</c>: AF_INET or AF_INET6, SOCK_STREAM.</summary>
    Tcp,

    /// <summary><c>udp:HOST:PORT</c>: AF_INET or AF_INET6, SOCK_DGRAM.</summary>
    Udp,

    /// <summary><c>unix:PATH</c>: AF_UNIX, SOCK_STREAM.</summary>
    Unix,

    /// <summary><c>unix-dgram:PATH</c>: AF_UNIX, SOCK_DGRAM.</summary>
    UnixDgram,
}
