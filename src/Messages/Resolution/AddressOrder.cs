namespace Agent.Messages.Resolution;

/// <summary>How <see cref="GetHostAddresses"/> orders a dual-stack host's addresses.</summary>
public enum AddressOrder
{
    /// <summary>IPv6 addresses first (try IPv6 before IPv4).</summary>
    Ipv6First,

    /// <summary>IPv4 addresses first.</summary>
    Ipv4First,
}
