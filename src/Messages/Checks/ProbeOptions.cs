using System.Globalization;
using System.Text.Json.Serialization;

namespace Agent.Messages.Checks;

/// <summary>Which address families a probe measures. Unix targets have none to choose and ignore it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FamilyMode>))]
public enum FamilyMode
{
    /// <summary>Whatever wins: Happy Eyeballs for tcp, getaddrinfo's AF_UNSPEC for dns, the first address for udp.</summary>
    [JsonStringEnumMemberName("any")]
    Any,

    /// <summary>IPv4 only (AF_INET).</summary>
    [JsonStringEnumMemberName("ip4")]
    Ip4,

    /// <summary>IPv6 only (AF_INET6).</summary>
    [JsonStringEnumMemberName("ip6")]
    Ip6,

    /// <summary>Each family measured separately, both outcomes in one result (<see cref="ProbeResult.Families"/>).</summary>
    [JsonStringEnumMemberName("both")]
    Both,
}

/// <summary>The names of <see cref="FamilyMode"/>s in config, CLI, API and output: <c>any</c>, <c>ip4</c>, <c>ip6</c>, <c>both</c>.</summary>
public static class FamilyModes
{
    /// <summary>Every name, in the enum's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["any", "ip4", "ip6", "both"];

    /// <summary>The mode <paramref name="name"/> names (exactly, lower case); false for anything else.</summary>
    public static bool TryParse(string? name, out FamilyMode mode)
    {
        var index = name is null ? -1 : ((IList<string>)Names).IndexOf(name);
        mode = (FamilyMode)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The name of <paramref name="mode"/>.</summary>
    public static string Name(FamilyMode mode) => Names[(int)mode];
}

/// <summary>
/// How one probe runs. Every field is bounded, so a request from the network cannot make a node hold a probe
/// for long, loop on it or buffer much: <see cref="Validate"/> names the field out of range.
/// </summary>
/// <param name="Timeout">Deadline of one attempt, above 0 and at most <see cref="MaxTimeout"/>. Defaults to 5 s.</param>
/// <param name="Retries">Attempts run again after a failed one, 0 to <see cref="MaxRetries"/>. Defaults to 0.</param>
/// <param name="PayloadSize">
/// Bytes each echo sends: the stream payload, or each datagram's size; 1 to <see cref="MaxPayloadSize"/> (the
/// largest UDP payload over IPv4). Datagrams are never smaller than their 16-byte header. Defaults to 32.
/// </param>
/// <param name="Family">Which address families to measure. Defaults to <see cref="FamilyMode.Any"/>.</param>
/// <param name="QueryResponse">
/// For <c>tcp:</c> targets only: a script of sends and expects run once connected (JSON <c>query_response</c>); null
/// (the default) just connects.
/// </param>
public sealed record ProbeOptions(
    TimeSpan Timeout, int Retries = 0, int PayloadSize = 32, FamilyMode Family = FamilyMode.Any, QueryResponse? QueryResponse = null)
{
    /// <summary>The longest attempt: 5 minutes.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The most retries: 10.</summary>
    public const int MaxRetries = 10;

    /// <summary>The largest payload: 65,507 bytes, a UDP datagram over IPv4.</summary>
    public const int MaxPayloadSize = 65_507;

    /// <summary>5 s, no retry, 32 bytes, any family, no query script.</summary>
    public static readonly ProbeOptions Default = new(TimeSpan.FromSeconds(5));

    /// <summary>Null when every field is in range, otherwise what is wrong, naming the field.</summary>
    public string? Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > MaxTimeout)
        {
            return $"timeout must be above 0 and at most {MaxTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, got {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        if (Retries is < 0 or > MaxRetries)
        {
            return $"retries must be 0-{MaxRetries}, got {Retries}";
        }
        if (PayloadSize is < 1 or > MaxPayloadSize)
        {
            return $"payload_size must be 1-{MaxPayloadSize}, got {PayloadSize}";
        }
        if (!Enum.IsDefined(Family))
        {
            return $"family must be any, ip4, ip6 or both, got {(int)Family}";
        }
        return QueryResponse?.Validate();
    }
}
