using System.Text.Json.Serialization;

namespace Agent.Messages.Checks;

// The probe protocol. A requester sends RunProbe to a node's ProbeRunner (or starts a ProbeActor for it) and gets
// exactly one ProbeResult back, failures included: a probe that cannot reach its target answers with Python's error
// object, never with an exception or silence. Both cross nodes (a check fans RunProbe out to every chosen member's runner).

/// <summary>
/// Sent by a requester to a node's <c>ProbeRunner</c> (or given to a <c>ProbeActor</c> it starts): probe
/// <paramref name="Target"/> from this node. Reply, always exactly one: <see cref="ProbeResult"/>, within
/// <c>Timeout x (Retries + 1)</c> plus a small bound once the probe starts (a request <see cref="Validate"/> refuses is a
/// result too, a <c>ValueError</c> naming the field; a full runner queue is a <c>BlockingIOError</c> result).
/// </summary>
/// <param name="Target">What to probe.</param>
/// <param name="Options">How; null means <see cref="ProbeOptions.Default"/>.</param>
public sealed record RunProbe(ProbeTarget Target, ProbeOptions? Options = null) : IWireMessage
{
    /// <summary>The options that apply.</summary>
    [JsonIgnore]
    public ProbeOptions EffectiveOptions => Options ?? ProbeOptions.Default;

    /// <summary>
    /// Null when the probe can run, otherwise what is wrong in one line: an option out of range
    /// (<see cref="ProbeOptions.Validate"/>), or a query script on a target other than <c>tcp:</c>.
    /// </summary>
    public string? Validate() =>
        EffectiveOptions.Validate()
        ?? (EffectiveOptions.QueryResponse is not null && Target.Kind != ProbeKind.Tcp
            ? $"query_response: only for tcp: targets, not {ProbeTarget.SchemeOf(Target.Kind)}"
            : null);
}

/// <summary>
/// The one reply to <see cref="RunProbe"/>. With family <c>both</c> the top-level fields sum the two families up
/// (ok only when both are; the slower latency; the first failure) and <see cref="Families"/> holds each one's own
/// outcome; otherwise <see cref="Families"/> is null and the top level is the probe's outcome.
/// </summary>
/// <param name="Target">The target probed.</param>
/// <param name="Ok">True when the (last) attempt succeeded, for every family measured.</param>
/// <param name="LatencyMs">
/// Null unless ok. dns: the lookup; tcp: create_connection from the command to connected (lookup included);
/// tcp-echo, unix-echo: first byte sent to last byte back; udp-echo, unix-dgram-echo: the median round trip.
/// </param>
/// <param name="Address">The peer that answered, in the endpoint grammar (<c>tcp:[::1]:7</c>, <c>unix:/run/echo</c>); null for dns or when nothing answered.</param>
/// <param name="Error">Python's error object (<c>ConnectionRefusedError</c> 111, <c>gaierror</c> -2, <c>TimeoutError</c>...); null when ok.</param>
/// <param name="Families">For family <c>both</c>: the IPv4 then the IPv6 outcome; otherwise null.</param>
/// <param name="Attempts">Attempts that ran (1 + the retries used); with <c>both</c>, the most either family ran.</param>
/// <param name="Dns">For dns: the answer (when ok).</param>
/// <param name="Datagrams">For the datagram echoes: the counts of the last attempt.</param>
/// <param name="Cached">True when a runner answered from a result younger than its minimum interval instead of probing again.</param>
/// <param name="StartedAt">When the probe (its first attempt) started.</param>
/// <param name="DurationMs">How long the probe took, every attempt included, ok or not (blackbox_exporter's probe_duration_seconds).</param>
public sealed record ProbeResult(
    ProbeTarget Target,
    bool Ok,
    double? LatencyMs,
    string? Address,
    PythonError? Error,
    IReadOnlyList<FamilyResult>? Families,
    int Attempts,
    DnsAnswer? Dns = null,
    DatagramCounts? Datagrams = null,
    bool Cached = false,
    DateTimeOffset? StartedAt = null,
    double? DurationMs = null) : IWireMessage;

/// <summary>One family's outcome in a <see cref="ProbeResult"/> of family mode <c>both</c>; the fields mean what the result's do.</summary>
/// <param name="Family"><see cref="FamilyMode.Ip4"/> or <see cref="FamilyMode.Ip6"/>.</param>
/// <param name="Ok">True when this family's last attempt succeeded.</param>
/// <param name="LatencyMs">As <see cref="ProbeResult.LatencyMs"/>, for this family.</param>
/// <param name="Address">As <see cref="ProbeResult.Address"/>.</param>
/// <param name="Error">As <see cref="ProbeResult.Error"/>; a family the name lacks is gaierror -9 or -5, as getaddrinfo says.</param>
/// <param name="Attempts">Attempts this family ran.</param>
/// <param name="Dns">For dns: this family's addresses.</param>
/// <param name="Datagrams">For udp-echo: this family's counts.</param>
public sealed record FamilyResult(
    FamilyMode Family,
    bool Ok,
    double? LatencyMs,
    string? Address,
    PythonError? Error,
    int Attempts,
    DnsAnswer? Dns = null,
    DatagramCounts? Datagrams = null);

/// <summary>What a dns probe found: getaddrinfo's addresses without duplicates, in its order, and the canonical name.</summary>
/// <param name="Addresses">Numeric addresses (IPv6 with <c>%scope</c> where it has one).</param>
/// <param name="CanonName">The canonical name (AI_CANONNAME), or null when getaddrinfo gave none.</param>
public sealed record DnsAnswer(IReadOnlyList<string> Addresses, string? CanonName);

/// <summary>
/// The datagrams of one datagram echo attempt. Every datagram sent is exactly one of: back in time, late or lost;
/// duplicates, reordered and corrupted are counted on the side.
/// </summary>
/// <param name="Sent">Datagrams sent.</param>
/// <param name="Received">Distinct datagrams back within the timeout.</param>
/// <param name="Lost">Datagrams never back, even in the grace period after the timeout.</param>
/// <param name="Duplicated">Extra copies of a datagram already back.</param>
/// <param name="Reordered">Datagrams back after one sent later than them.</param>
/// <param name="Late">Datagrams back only after the timeout, within the grace period.</param>
/// <param name="Corrupted">Datagrams back whose bytes were not the ones sent (not counted as back).</param>
public sealed record DatagramCounts(int Sent, int Received, int Lost, int Duplicated, int Reordered, int Late, int Corrupted);
