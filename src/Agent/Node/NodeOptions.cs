using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Actors.Resolution;
using Agent.Messages;

namespace Agent.Node;

/// <summary>
/// The node's settings, bound from configuration (<c>config/agent.json</c> is the embedded default; see
/// <see cref="NodeConfiguration"/> for the layers). Property names are the config keys, case-insensitive.
/// </summary>
internal sealed class NodeOptions
{
    /// <summary>The node itself.</summary>
    public NodeSection Node { get; set; } = new();

    /// <summary>Echo service endpoints (<c>tcp:HOST:PORT</c>, <c>udp:</c>, <c>unix:</c>, <c>unix-dgram:</c>). A later layer replaces the list whole.</summary>
    public List<string> Echo { get; set; } = [];

    /// <summary>Read size of the stream echo services; 16 reproduces the seed transcripts. Defaults to 64 KiB.</summary>
    public int EchoChunk { get; set; } = 64 * 1024;

    /// <inheritdoc cref="EchoLimits.MaxConnections"/>
    public int EchoMaxConnections { get; set; } = EchoLimits.DefaultMaxConnections;

    /// <inheritdoc cref="EchoLimits.IdleTimeout"/>
    public TimeSpan? EchoIdleTimeout { get; set; }

    /// <summary>The resolver actors.</summary>
    public ResolverSection Resolver { get; set; } = new();

    /// <summary>The socket actors.</summary>
    public IoSection Io { get; set; } = new();

    /// <summary>The endpoints of <see cref="Echo"/>; call after <see cref="Validate"/> found nothing.</summary>
    public IReadOnlyList<Endpoint> EchoEndpoints => [.. Echo.Select(Endpoint.Parse)];

    /// <summary>Every value out of its range, each naming its key; empty when the options can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!AkkaSystemName.IsValid(Node.Name))
        {
            errors.Add($"node:name must start with a letter or digit and hold only letters, digits, '-' and '_', got '{Node.Name}'");
        }
        if (!LogLevels.IsKnown(Node.LogLevel))
        {
            errors.Add($"node:logLevel must be one of {string.Join(", ", LogLevels.Names)}, got '{Node.LogLevel}'");
        }
        Positive(errors, "node:shutdownTimeout", Node.ShutdownTimeout);
        for (var i = 0; i < Echo.Count; i++)
        {
            if (!Endpoint.TryParse(Echo[i], out _, out var error))
            {
                errors.Add($"echo:{i}: {error}");
            }
        }
        if (EchoChunk is < 1 or > MaxChunk)
        {
            errors.Add($"echoChunk must be 1-{MaxChunk}, got {EchoChunk}");
        }
        if (EchoMaxConnections is < 1 or > 1_000_000)
        {
            errors.Add($"echoMaxConnections must be 1-1000000, got {EchoMaxConnections}");
        }
        if (EchoIdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            errors.Add($"echoIdleTimeout must be above zero when set, got {idle}");
        }
        if (Resolver.Concurrency is < 1 or > 1024)
        {
            errors.Add($"resolver:concurrency must be 1-1024, got {Resolver.Concurrency}");
        }
        Positive(errors, "resolver:timeout", Resolver.Timeout);
        if (Resolver.PositiveTtl is { } positive && positive < TimeSpan.Zero)
        {
            errors.Add($"resolver:positiveTtl must not be negative, got {positive}");
        }
        if (Resolver.NegativeTtl is { } negative && negative < TimeSpan.Zero)
        {
            errors.Add($"resolver:negativeTtl must not be negative, got {negative}");
        }
        if (Resolver.MaxCacheEntries is < 0 or > 10_000_000)
        {
            errors.Add($"resolver:maxCacheEntries must be 0-10000000, got {Resolver.MaxCacheEntries}");
        }
        if (Io.MaxPendingWriteBytes is < 1)
        {
            errors.Add($"io:maxPendingWriteBytes must be at least 1, got {Io.MaxPendingWriteBytes}");
        }
        Positive(errors, "io:registerTimeout", Io.RegisterTimeout);
        Positive(errors, "io:connectionAttemptDelay", Io.ConnectionAttemptDelay);
        Positive(errors, "io:acceptBackoffMin", Io.AcceptBackoffMin);
        Positive(errors, "io:acceptBackoffMax", Io.AcceptBackoffMax);
        if (Io.AcceptBackoffMax < Io.AcceptBackoffMin)
        {
            errors.Add($"io:acceptBackoffMax ({Io.AcceptBackoffMax}) must not be below io:acceptBackoffMin ({Io.AcceptBackoffMin})");
        }
        return errors;
    }

    /// <summary>The limits of every echo service.</summary>
    public EchoLimits ToEchoLimits() => new(EchoMaxConnections, EchoIdleTimeout);

    /// <summary>The settings of the IO manager.</summary>
    public IoSettings ToIoSettings() => new()
    {
        MaxPendingWriteBytes = Io.MaxPendingWriteBytes,
        RegisterTimeout = Io.RegisterTimeout,
        ConnectionAttemptDelay = Io.ConnectionAttemptDelay,
        AcceptBackoffMin = Io.AcceptBackoffMin,
        AcceptBackoffMax = Io.AcceptBackoffMax,
    };

    /// <summary>The settings of the IO manager's resolver.</summary>
    public ResolverSettings ToResolverSettings() => ResolverSettings.Default with
    {
        Concurrency = Resolver.Concurrency,
        Timeout = Resolver.Timeout,
        PositiveTtl = Resolver.PositiveTtl,
        NegativeTtl = Resolver.NegativeTtl,
        MaxCacheEntries = Resolver.MaxCacheEntries,
    };

    private const int MaxChunk = 16 * 1024 * 1024;

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be above zero, got {value}");
        }
    }

    /// <summary><c>node</c>: identity, logging, shutdown.</summary>
    internal sealed class NodeSection
    {
        /// <summary>The actor system's name. Defaults to <c>agent</c>.</summary>
        public string Name { get; set; } = "agent";

        /// <summary>Serilog level: Verbose, Debug, Information, Warning, Error or Fatal. Defaults to Information.</summary>
        public string LogLevel { get; set; } = "Information";

        /// <summary>How long SIGTERM may take before the process exits anyway. Defaults to 10 s.</summary>
        public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
    }

    /// <summary><c>resolver</c>: <see cref="ResolverSettings"/>, whose docs give each default and bound.</summary>
    internal sealed class ResolverSection
    {
        /// <inheritdoc cref="ResolverSettings.Concurrency"/>
        public int Concurrency { get; set; } = ResolverSettings.Default.Concurrency;

        /// <inheritdoc cref="ResolverSettings.Timeout"/>
        public TimeSpan Timeout { get; set; } = ResolverSettings.Default.Timeout;

        /// <inheritdoc cref="ResolverSettings.PositiveTtl"/>
        public TimeSpan? PositiveTtl { get; set; } = ResolverSettings.Default.PositiveTtl;

        /// <inheritdoc cref="ResolverSettings.NegativeTtl"/>
        public TimeSpan? NegativeTtl { get; set; } = ResolverSettings.Default.NegativeTtl;

        /// <inheritdoc cref="ResolverSettings.MaxCacheEntries"/>
        public int MaxCacheEntries { get; set; } = ResolverSettings.Default.MaxCacheEntries;
    }

    /// <summary><c>io</c>: <see cref="IoSettings"/>, whose docs give each default and bound.</summary>
    internal sealed class IoSection
    {
        /// <inheritdoc cref="IoSettings.MaxPendingWriteBytes"/>
        public int MaxPendingWriteBytes { get; set; } = IoSettings.Default.MaxPendingWriteBytes;

        /// <inheritdoc cref="IoSettings.RegisterTimeout"/>
        public TimeSpan RegisterTimeout { get; set; } = IoSettings.Default.RegisterTimeout;

        /// <inheritdoc cref="IoSettings.ConnectionAttemptDelay"/>
        public TimeSpan ConnectionAttemptDelay { get; set; } = IoSettings.Default.ConnectionAttemptDelay;

        /// <inheritdoc cref="IoSettings.AcceptBackoffMin"/>
        public TimeSpan AcceptBackoffMin { get; set; } = IoSettings.Default.AcceptBackoffMin;

        /// <inheritdoc cref="IoSettings.AcceptBackoffMax"/>
        public TimeSpan AcceptBackoffMax { get; set; } = IoSettings.Default.AcceptBackoffMax;
    }
}
