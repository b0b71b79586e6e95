using System.Net;
using Agent.Actors.Cluster;
using Agent.Messages;
using Agent.Messages.Checks;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Agent.Node;

/// <summary>
/// The node's Prometheus metrics, served at <c>GET /metrics</c> (docs/api.md) from a registry of its own, so several
/// nodes in one process never share a series: the process and .NET collectors, the cluster as this node sees it
/// (asked of the member directory at each scrape, bounded by <see cref="ClusterTimeout"/>; on timeout the last values
/// stay), and probe results under blackbox_exporter's names with <c>node</c> (the prober) and <c>target</c> labels.
/// <see cref="Record"/> and <see cref="Forget(string, ProbeTarget)"/> are thread-safe and cheap (a short lock, a few
/// gauge writes). Targets can come from API users, so at most <see cref="MaxSeries"/> node x target pairs are kept;
/// beyond, a new pair is refused and counted in <c>agent_probe_series_dropped_total</c>.
/// </summary>
internal sealed class NodeMetrics
{
    /// <summary>The most node x target pairs kept by default: ten thousand, so at most 40,000 probe series (four gauges a pair).</summary>
    public const int DefaultMaxSeries = 10_000;

    /// <summary>How long a scrape waits for the member directory by default: well within Prometheus's 10 s scrape timeout.</summary>
    public static readonly TimeSpan DefaultClusterTimeout = TimeSpan.FromSeconds(2);

    private static readonly string[] ProbeLabels = ["node", "target"];

    private readonly Func<CancellationToken, Task<MemberDirectory.MemberList>>? _askMembers;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Node, string Target), Series> _series = [];
    private readonly Gauge _success;
    private readonly Gauge _duration;
    private readonly Gauge _dnsLookup;
    private readonly Gauge _ipProtocol;
    private readonly Counter _dropped;
    private readonly Dictionary<ProbeKind, (Counter.Child Ok, Counter.Child Failed)> _probes = [];
    private readonly Dictionary<MemberStatus, Gauge.Child> _byStatus = [];
    private readonly Gauge _unreachable;

    /// <summary>A registry with the process collectors and every family below.</summary>
    /// <param name="members">
    /// Asked at each scrape for the members (the node passes an ask of its <see cref="MemberDirectory"/>); null: the
    /// cluster gauges stay 0.
    /// </param>
    /// <param name="maxSeries">The most node x target pairs kept; <see cref="DefaultMaxSeries"/> when null.</param>
    /// <param name="clusterTimeout">How long a scrape waits for <paramref name="members"/>; <see cref="DefaultClusterTimeout"/> when null.</param>
    public NodeMetrics(Func<CancellationToken, Task<MemberDirectory.MemberList>>? members = null, int? maxSeries = null, TimeSpan? clusterTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSeries ?? 0, nameof(maxSeries));
        _askMembers = members;
        MaxSeries = maxSeries ?? DefaultMaxSeries;
        ClusterTimeout = clusterTimeout ?? DefaultClusterTimeout;
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);

        _success = factory.CreateGauge("probe_success", "Whether the probe from node to target succeeded (1) or failed (0), as blackbox_exporter's.", ProbeLabels);
        _duration = factory.CreateGauge("probe_duration_seconds",
            "How long the probe took in seconds, every attempt included, ok or not.", ProbeLabels);
        _dnsLookup = factory.CreateGauge("probe_dns_lookup_time_seconds", "The lookup time of a dns: target in seconds; NaN when it failed.", ProbeLabels);
        _ipProtocol = factory.CreateGauge("probe_ip_protocol", "The IP version of the address that answered (4 or 6); 0 when unknown or not IP.", ProbeLabels);
        var probes = factory.CreateCounter("agent_probes_total", "Probes recorded, by kind and outcome (ok or failed); a cached result is not a new probe.", ["kind", "outcome"]);
        foreach (var kind in Enum.GetValues<ProbeKind>())
        {
            var scheme = ProbeTarget.SchemeOf(kind);
            _probes[kind] = (probes.WithLabels(scheme, "ok"), probes.WithLabels(scheme, "failed"));
        }
        _dropped = factory.CreateCounter("agent_probe_series_dropped_total",
            $"Probe results refused because {MaxSeries} node x target pairs were already kept.");

        var byStatus = factory.CreateGauge("agent_cluster_members", "Members this node knows, by status (Akka's, in snake case).", ["status"]);
        foreach (var status in Enum.GetValues<MemberStatus>())
        {
            _byStatus[status] = byStatus.WithLabels(StatusLabel(status));
        }
        _unreachable = factory.CreateGauge("agent_cluster_unreachable_members", "Members this node's failure detector finds unreachable.");
        if (_askMembers is not null)
        {
            Registry.AddBeforeCollectCallback(CollectClusterAsync);
        }
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The most node x target pairs kept.</summary>
    public int MaxSeries { get; }

    /// <summary>How long a scrape waits for the member directory.</summary>
    public TimeSpan ClusterTimeout { get; }

    /// <summary>The node x target pairs kept now.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_lock)
            {
                return _series.Count;
            }
        }
    }

    /// <summary>
    /// Sets the probe gauges of <paramref name="node"/> x the result's target and counts the probe (unless it was
    /// <see cref="ProbeResult.Cached"/>). False when the pair is new and <see cref="MaxSeries"/> pairs are already kept:
    /// nothing is set and <c>agent_probe_series_dropped_total</c> goes up.
    /// </summary>
    public bool Record(string node, ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(result);
        var target = result.Target;
        var lookup = result.Ok && result.LatencyMs is { } ms ? ms / 1000 : double.NaN;
        // What blackbox_exporter reports: how long the probe took, ok or not.
        var seconds = result.DurationMs is { } duration ? duration / 1000 : lookup;
        var protocol = IpProtocol(result);
        lock (_lock)
        {
            var label = target.ToString();
            if (!_series.TryGetValue((node, label), out var series))
            {
                if (_series.Count >= MaxSeries)
                {
                    _dropped.Inc();
                    return false;
                }
                series = new Series(
                    _success.WithLabels(node, label),
                    _duration.WithLabels(node, label),
                    target.Kind == ProbeKind.Dns ? _dnsLookup.WithLabels(node, label) : null,
                    _ipProtocol.WithLabels(node, label));
                _series[(node, label)] = series;
            }
            series.Success.Set(result.Ok ? 1 : 0);
            series.Duration.Set(seconds);
            series.DnsLookup?.Set(lookup);
            series.IpProtocol.Set(protocol);
        }
        if (!result.Cached)
        {
            var (ok, failed) = _probes[target.Kind];
            (result.Ok ? ok : failed).Inc();
        }
        return true;
    }

    /// <summary>Removes the series of <paramref name="node"/> x <paramref name="target"/> (a check that stopped); false when there were none.</summary>
    public bool Forget(string node, ProbeTarget target)
    {
        lock (_lock)
        {
            if (!_series.Remove((node, target.ToString()), out var series))
            {
                return false;
            }
            series.Remove();
            return true;
        }
    }

    /// <summary>Removes every series of <paramref name="node"/> (a member that left); the number of targets forgotten.</summary>
    public int Forget(string node)
    {
        lock (_lock)
        {
            var keys = _series.Keys.Where(key => key.Node == node).ToList();
            foreach (var key in keys)
            {
                _series.Remove(key, out var series);
                series!.Remove();
            }
            return keys.Count;
        }
    }

    /// <summary>The label value of a member status: Akka's word in snake case (<c>up</c>, <c>weakly_up</c>).</summary>
    public static string StatusLabel(MemberStatus status) => status switch
    {
        MemberStatus.WeaklyUp => "weakly_up",
        _ => status.ToString().ToLowerInvariant(),
    };

    // Asked at each scrape: a directory that does not answer in time leaves the last values, rather than failing or
    // holding up the scrape.
    private async Task CollectClusterAsync(CancellationToken scrape)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(scrape);
        bound.CancelAfter(ClusterTimeout);
        MemberDirectory.MemberList list;
        try
        {
            list = await _askMembers!(bound.Token).WaitAsync(bound.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or AskTimeoutException && !scrape.IsCancellationRequested)
        {
            return;
        }
        var counts = list.Members.CountBy(member => member.Status).ToDictionary(StringComparer.Ordinal);
        foreach (var (status, gauge) in _byStatus)
        {
            gauge.Set(counts.GetValueOrDefault(status.ToString()));
        }
        _unreachable.Set(list.Members.Count(member => !member.Reachable));
    }

    // 4 or 6 from the address that answered (a dns target: its first address); 0 when there is none or it is not IP.
    private static double IpProtocol(ProbeResult result)
    {
        var host = result.Address is { } address && Endpoint.TryParse(address, out var endpoint, out _) && !endpoint.IsUnix
            ? endpoint.Host
            : result.Dns?.Addresses is [var first, ..] ? first : null;
        return IPAddress.TryParse(host, out var ip) ? ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 6 : 4 : 0;
    }

    private sealed record Series(Gauge.Child Success, Gauge.Child Duration, Gauge.Child? DnsLookup, Gauge.Child IpProtocol)
    {
        public void Remove()
        {
            Success.Remove();
            Duration.Remove();
            DnsLookup?.Remove();
            IpProtocol.Remove();
        }
    }
}

/// <summary>How the node host puts <see cref="NodeMetrics"/> in place: one registration, one endpoint.</summary>
internal static class NodeMetricsHosting
{
    /// <summary>The node's <see cref="NodeMetrics"/> as a singleton (the node's checks record into it), asking the node's <see cref="MemberDirectory"/>.</summary>
    public static IServiceCollection AddNodeMetrics(this IServiceCollection services) =>
        // The node is resolved at the scrape, not here: it takes these metrics, and its actors exist once the host started it.
        services.AddSingleton(provider => new NodeMetrics(cancel =>
            provider.GetRequiredService<NodeSystem>().Members.Ask<MemberDirectory.MemberList>(MemberDirectory.GetMembers.Instance, cancel)));

    /// <summary>
    /// <c>GET /metrics</c> from the node's registry, in the Prometheus text format (OpenMetrics when the scraper asks for
    /// it); it passes the API's token and browser checks like every other endpoint.
    /// </summary>
    public static IEndpointConventionBuilder MapNodeMetrics(this IEndpointRouteBuilder app) =>
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<NodeMetrics>().Registry);
}
