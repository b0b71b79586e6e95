using Agent.Actors.Checks;
using Agent.Actors.Cluster;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Actors.Resolution;
using Agent.Messages;
using Agent.Messages.Checks;

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

    /// <summary>The node's HTTP API.</summary>
    public ApiSection Api { get; set; } = new();

    /// <summary>The node's probe runner, which runs every check's probes here.</summary>
    public ProbesSection Probes { get; set; } = new();

    /// <summary>Continuous checks: each node runs those whose <c>from</c> chooses it. None by default.</summary>
    public List<CheckSection> Checks { get; set; } = [];

    /// <summary>The remoting endpoint; call after <see cref="Validate"/> found nothing.</summary>
    public HostPort RemoteAddress => ParseAddress(Node.Remote);

    /// <summary>The scheme of Akka addresses: <c>akka.ssl.tcp</c> with TLS, else <c>akka.tcp</c>.</summary>
    public string RemoteScheme => Node.Tls.Enabled ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>The seeds; call after <see cref="Validate"/> found nothing.</summary>
    public IReadOnlyList<HostPort> SeedAddresses => [.. Node.Seeds.Select(ParseAddress)];

    /// <summary>Where the API listens; call after <see cref="Validate"/> found nothing.</summary>
    public HostPort ApiAddress => ParseAddress(Api.Listen);

    /// <summary>The node's name: <see cref="NodeSection.Name"/>, or the host name when that is unset.</summary>
    public string NodeName => string.IsNullOrEmpty(Node.Name) ? System.Net.Dns.GetHostName() : Node.Name;

    /// <summary>The endpoints of <see cref="Echo"/>; call after <see cref="Validate"/> found nothing.</summary>
    public IReadOnlyList<Endpoint> EchoEndpoints => [.. Echo.Select(Endpoint.Parse)];

    /// <summary>Every value out of its range, each naming its key; empty when the options can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!NodeNames.IsValid(NodeName))
        {
            errors.Add(string.IsNullOrEmpty(Node.Name)
                ? $"node:name is unset and the host name '{NodeName}' cannot name a node: set node:name ({NodeNames.Rule})"
                : $"node:name {NodeNames.Rule}, got '{Node.Name}'");
        }
        Address(errors, "node:remote", Node.Remote, out var remote, listen: true);
        for (var i = 0; i < Node.Seeds.Count; i++)
        {
            Address(errors, $"node:seeds:{i}", Node.Seeds[i], out _);
        }
        foreach (var (key, value) in Node.Labels)
        {
            if (NodeNames.LabelProblem(key, value) is { } problem)
            {
                errors.Add($"node:labels:{key}: {problem}");
            }
        }
        if (remote is not null && System.Net.IPAddress.TryParse(remote.Host, out var any)
            && (any.Equals(System.Net.IPAddress.Any) || any.Equals(System.Net.IPAddress.IPv6Any)))
        {
            // The address is also the node's name in the cluster: the others must be able to reach it there.
            errors.Add($"node:remote {remote} is a wildcard: give the address other members reach this node at (it is its address in the cluster)");
        }
        else if (remote is { IsLoopback: false } && !Node.Tls.Enabled)
        {
            errors.Add($"node:remote {remote} is not a loopback address: remoting beyond loopback needs mutual TLS: set node:tls:certificate "
                + "and node:tls:key (this node's PEM certificate and private key) and node:tls:ca (the PEM CA certificates peers must chain to) "
                + "or node:tls:pinnedThumbprints (the peers' SHA-256 thumbprints); see docs/cluster.md. Or bind remoting to 127.0.0.1 or [::1]");
        }
        // Loading checks that the files exist and hold what they should; the host loads them again to use them.
        NodeTls.Load(Node.Tls, errors)?.Dispose();
        Address(errors, "api:listen", Api.Listen, out var api, listen: true);
        if (api is { IsLoopback: false } && string.IsNullOrEmpty(Api.Token))
        {
            errors.Add($"api:listen {api} is not a loopback address: set a bearer token (api:token, or the environment "
                + "variable AGENT_API__TOKEN) that every request must carry, or listen on 127.0.0.1");
        }
        if (Api.Token is { Length: > 0 } token && token.Length < ApiSection.MinTokenLength)
        {
            errors.Add($"api:token must be at least {ApiSection.MinTokenLength} characters, got {token.Length}");
        }
        if (Api.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"api:maxBodyBytes must be 1024-16777216, got {Api.MaxBodyBytes}");
        }
        if (!LogLevels.IsKnown(Node.LogLevel))
        {
            errors.Add($"node:logLevel must be one of {string.Join(", ", LogLevels.Names)}, got '{Node.LogLevel}'");
        }
        Positive(errors, "node:shutdownTimeout", Node.ShutdownTimeout);
        if (Node.HeartbeatPause < TimeSpan.FromSeconds(1) || Node.HeartbeatPause > TimeSpan.FromMinutes(5))
        {
            errors.Add($"node:heartbeatPause must be 1 s to 5 min, got {Node.HeartbeatPause}");
        }
        var endpoints = new Dictionary<Endpoint, int>();
        for (var i = 0; i < Echo.Count; i++)
        {
            if (!Endpoint.TryParse(Echo[i], out var endpoint, out var error))
            {
                errors.Add($"echo:{i}: {error}");
            }
            else if ((endpoint.IsUnix || endpoint.Port != 0) && !endpoints.TryAdd(endpoint, i))
            {
                // The second would retry EADDRINUSE for ever against the first; port 0 twice is two free ports.
                errors.Add($"echo:{i}: {endpoint} is echo:{endpoints[endpoint]} already");
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
        if (Probes.MaxConcurrent is < 1 or > 4096)
        {
            errors.Add($"probes:maxConcurrent must be 1-4096, got {Probes.MaxConcurrent}");
        }
        if (Probes.MaxQueued is < 0 or > 1_000_000)
        {
            errors.Add($"probes:maxQueued must be 0-1000000, got {Probes.MaxQueued}");
        }
        if (Probes.MinInterval < TimeSpan.Zero)
        {
            errors.Add($"probes:minInterval must not be negative, got {Probes.MinInterval}");
        }
        ValidateChecks(errors);
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

    /// <summary>The settings of the node's probe runner.</summary>
    public ProbeRunnerSettings ToProbeRunnerSettings() => new()
    {
        MaxConcurrent = Probes.MaxConcurrent,
        MaxQueued = Probes.MaxQueued,
        MinInterval = Probes.MinInterval,
        Io = ToIoSettings(),
    };

    /// <summary>The continuous checks this node runs: those whose <c>from</c> is empty, <c>all</c>, its name or one of its labels.</summary>
    public IReadOnlyList<ContinuousCheck> ContinuousChecks() =>
        [.. Checks.Where(check => check.From.Count == 0 || check.From.Any(Chooses))
            .Select(check => new ContinuousCheck(check.Name!, check.Interval, check.Probes(), check.History))];

    private bool Chooses(string selector) =>
        selector == "all" || selector == NodeName
        || selector.Split('=', 2) is [var key, var value] && Node.Labels.TryGetValue(key, out var label) && label == value;

    /// <summary>The most continuous checks a node runs.</summary>
    public const int MaxChecks = 16;

    /// <summary>The most history samples all checks keep together (targets x history): a few MB.</summary>
    public const int MaxHistorySamples = 1_000_000;

    // Sets the check's probes from its targets file; what is wrong with the file when it cannot. A method of its own (with a
    // handler, so never inlined), compiled only for a check with a targets file: compiling what it inlines loads YamlDotNet,
    // which a node without one never needs.
    private static string? ReadTargetsFile(CheckSection check, string file)
    {
        try
        {
            check.FileProbes = CheckTargets.ReadFile(File.ReadAllText(file), file, check.Options());
            return null;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private void ValidateChecks(List<string> errors)
    {
        if (Checks.Count > MaxChecks)
        {
            errors.Add($"checks must list at most {MaxChecks} checks, got {Checks.Count}");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var targets = new Dictionary<ProbeTarget, string>();
        for (var i = 0; i < Checks.Count; i++)
        {
            var check = Checks[i];
            var key = $"checks:{i}";
            if (check.Name is not { } name || !NodeNames.IsValid(name))
            {
                errors.Add($"{key}:name {NodeNames.Rule.Replace("must be", "must be set to", StringComparison.Ordinal)}, got '{check.Name}'");
            }
            else if (!names.Add(name))
            {
                errors.Add($"{key}:name '{name}' names another check already");
            }
            if (check.Interval < TimeSpan.FromSeconds(1) || check.Interval > TimeSpan.FromDays(1))
            {
                errors.Add($"{key}:interval must be 1 s to 1 day, got {check.Interval}");
            }
            if (check.History is < 1 or > 10_000)
            {
                errors.Add($"{key}:history must be 1-10000, got {check.History}");
            }
            for (var j = 0; j < check.From.Count; j++)
            {
                var selector = check.From[j];
                if (!NodeNames.IsSelector(selector))
                {
                    errors.Add($"{key}:from:{j}: '{Endpoint.Escaped(selector)}' is neither all, a node name nor a label KEY=VALUE");
                }
            }
            if (!FamilyModes.TryParse(check.Family, out _))
            {
                errors.Add($"{key}:family must be any, ip4, ip6 or both, got '{check.Family}'");
            }
            else if (check.Options().Validate() is { } problem)
            {
                errors.Add($"{key}:{problem.Replace("payload_size", "payloadSize", StringComparison.Ordinal)}");
            }
            check.FileProbes = [];
            if (check.TargetsFile is { Length: > 0 } file && check.Options().Validate() is null && ReadTargetsFile(check, file) is { } unreadable)
            {
                errors.Add($"{key}:targetsFile {file}: {unreadable}");
                continue;
            }
            var count = check.Targets.Count + check.FileProbes.Count;
            if (count is 0 or > Agent.Node.CheckApi.MaxTargets)
            {
                errors.Add($"{key}:targets and targetsFile must give 1-{Agent.Node.CheckApi.MaxTargets} targets, got {count}");
            }
            for (var j = 0; j < check.Targets.Count; j++)
            {
                if (!ProbeTarget.TryParse(check.Targets[j], out var target, out var error))
                {
                    errors.Add($"{key}:targets:{j}: {error}");
                }
                else if (!targets.TryAdd(target, $"{key}:targets:{j}"))
                {
                    errors.Add($"{key}:targets:{j}: {target} is {targets[target]} already (a target is in one check only)");
                }
            }
            foreach (var probe in check.FileProbes)
            {
                if (!targets.TryAdd(probe.Target, $"{key}:targetsFile"))
                {
                    errors.Add($"{key}:targetsFile: {probe.Target} is {targets[probe.Target]} already (a target is in one check only)");
                }
            }
        }
        var samples = Checks.Sum(check => (long)(check.Targets.Count + check.FileProbes.Count) * Math.Max(check.History, 0));
        if (samples > MaxHistorySamples)
        {
            errors.Add($"checks keep at most {MaxHistorySamples} history samples in all (targets x history, summed over the checks), got {samples}");
        }
    }

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

    private static HostPort ParseAddress(string text) =>
        HostPort.TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    // A listening address must be one the host can bind without a lookup: an IP literal, or localhost (127.0.0.1).
    private static void Address(List<string> errors, string key, string value, out HostPort? address, bool listen = false)
    {
        address = null;
        if (!HostPort.TryParse(value, out var parsed, out var error))
        {
            errors.Add($"{key}: {error}");
        }
        else if (listen && !parsed.IsLoopback && !System.Net.IPAddress.TryParse(parsed.Host, out _))
        {
            errors.Add($"{key}: '{parsed.Host}' must be an IP address (or localhost) to listen on");
        }
        else
        {
            address = parsed;
        }
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be above zero, got {value}");
        }
    }

    /// <summary><c>node</c>: identity, cluster membership, logging, shutdown.</summary>
    internal sealed class NodeSection
    {
        /// <summary>The node's name, unique in its cluster. Defaults to the host name.</summary>
        public string? Name { get; set; }

        /// <summary>The remoting endpoint (<c>HOST:PORT</c>) other members reach this node at. Defaults to 127.0.0.1:4053.</summary>
        public string Remote { get; set; } = "127.0.0.1:4053";

        /// <summary>Members to join through (<c>HOST:PORT</c> each); none: the node seeds itself, a one-node cluster. A later layer replaces the list whole.</summary>
        public List<string> Seeds { get; set; } = [];

        /// <summary>Labels (<c>KEY=VALUE</c>) carried as cluster roles, for selecting nodes.</summary>
        public Dictionary<string, string> Labels { get; set; } = [];

        /// <summary>Serilog level: Verbose, Debug, Information, Warning, Error or Fatal. Defaults to Information.</summary>
        public string LogLevel { get; set; } = "Information";

        /// <summary>
        /// Missing heartbeats the failure detector tolerates before it marks a member unreachable (heartbeats are 1 s
        /// apart). Defaults to 3 s; longer on machines short of CPU. Every member should have the same.
        /// </summary>
        public TimeSpan HeartbeatPause { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>How long SIGTERM may take before the process exits anyway. Defaults to 10 s.</summary>
        public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Mutual TLS between nodes; off by default, required for a <see cref="Remote"/> beyond loopback.</summary>
        public TlsSection Tls { get; set; } = new();
    }

    /// <summary>
    /// <c>node:tls</c>: mutual TLS for remoting (see <see cref="NodeTls"/>), on when <see cref="Certificate"/> is set. Every
    /// member of a cluster must have it on or off alike: the address scheme (<c>akka.ssl.tcp</c>) differs. Relative paths
    /// are taken from the working directory.
    /// </summary>
    internal sealed class TlsSection
    {
        /// <summary>This node's certificate (PEM file; the first certificate in it), presented to every peer, accepting and connecting alike.</summary>
        public string? Certificate { get; set; }

        /// <summary>The certificate's private key (PEM file, unencrypted, RSA or EC). Keep it readable by the node's user only.</summary>
        public string? Key { get; set; }

        /// <summary>A PEM file of the CA certificates a peer's certificate must chain to; the system's trust store is never consulted.</summary>
        public string? Ca { get; set; }

        /// <summary>The SHA-256 thumbprints (64 hex digits, colons allowed) a peer's certificate must have one of. A later layer replaces the list whole.</summary>
        public List<string> PinnedThumbprints { get; set; } = [];

        /// <summary>Whether TLS is on: a certificate is configured.</summary>
        public bool Enabled => Certificate is { Length: > 0 };
    }

    /// <summary><c>api</c>: the node's HTTP API (members, health, requests).</summary>
    internal sealed class ApiSection
    {
        /// <summary>The shortest token accepted: a guessable token is no protection.</summary>
        public const int MinTokenLength = 16;

        /// <summary>Where the API listens (<c>HOST:PORT</c>). Defaults to 127.0.0.1:9180; anything but loopback needs <see cref="Token"/>.</summary>
        public string Listen { get; set; } = "127.0.0.1:9180";

        /// <summary>
        /// The bearer token every request must carry (<c>Authorization: Bearer TOKEN</c>), at least 16 characters;
        /// unset: no token is asked for, which is allowed on loopback only. Best given through the environment
        /// (<c>AGENT_API__TOKEN</c>), which the CLI's client reads too.
        /// </summary>
        public string? Token { get; set; }

        /// <summary>The largest request body accepted (bytes); a larger one gets 413 unread. Defaults to 1 MiB (a check of 2,000 targets).</summary>
        public int MaxBodyBytes { get; set; } = 1024 * 1024;
    }

    /// <summary><c>checks:N</c>: one continuous check (docs/checks.md).</summary>
    internal sealed class CheckSection
    {
        /// <summary>Its name, unique among the checks (a node name's rules).</summary>
        public string? Name { get; set; }

        /// <summary>How often each target is probed, 1 s to a day. Defaults to 30 s.</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The nodes that run it: <c>all</c>, node names, labels <c>KEY=VALUE</c>; empty means all.</summary>
        public List<string> From { get; set; } = [];

        /// <summary>The targets (dns:NAME, tcp:HOST:PORT, ...); with <see cref="TargetsFile"/>'s, 1-2,000; a target is in one check only.</summary>
        public List<string> Targets { get; set; } = [];

        /// <summary>A targets file (JSON or YAML, docs/checks.md) whose targets the check probes too, over the check's options.</summary>
        public string? TargetsFile { get; set; }

        /// <summary>The targets file's probes, read when the options are validated.</summary>
        internal IReadOnlyList<RunProbe> FileProbes { get; set; } = [];

        /// <summary>One attempt's deadline. Defaults to 5 s.</summary>
        public TimeSpan Timeout { get; set; } = ProbeOptions.Default.Timeout;

        /// <summary>Attempts run again after a failed one, 0-10.</summary>
        public int Retries { get; set; }

        /// <summary>Bytes each echo probe sends. Defaults to 32.</summary>
        public int PayloadSize { get; set; } = ProbeOptions.Default.PayloadSize;

        /// <summary>any, ip4, ip6 or both. Defaults to any.</summary>
        public string Family { get; set; } = "any";

        /// <summary>Results kept per target for its history (success ratio, latency percentiles), 1-10,000. Defaults to 100.</summary>
        public int History { get; set; } = 100;

        /// <summary>The probe options; call after validation.</summary>
        public ProbeOptions Options() => new(Timeout, Retries, PayloadSize, FamilyModes.TryParse(Family, out var family) ? family : FamilyMode.Any);

        /// <summary>The probes; call after validation.</summary>
        public IReadOnlyList<RunProbe> Probes() => [.. Targets.Select(target => new RunProbe(ProbeTarget.Parse(target), Options())), .. FileProbes];
    }

    /// <summary><c>probes</c>: <see cref="ProbeRunnerSettings"/>, whose docs give each meaning.</summary>
    internal sealed class ProbesSection
    {
        /// <inheritdoc cref="ProbeRunnerSettings.MaxConcurrent"/>
        public int MaxConcurrent { get; set; } = ProbeRunnerSettings.Default.MaxConcurrent;

        /// <summary>Distinct probes waiting for a slot; beyond, a probe is answered BlockingIOError at once. Defaults to 4,096 (two full checks).</summary>
        public int MaxQueued { get; set; } = 4096;

        /// <inheritdoc cref="ProbeRunnerSettings.MinInterval"/>
        public TimeSpan MinInterval { get; set; } = ProbeRunnerSettings.Default.MinInterval;
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
