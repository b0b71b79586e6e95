using System.Globalization;

namespace Agent.Bench.Checks;

/// <summary>
/// The kernel's network counters that tell a slow target from a slow prober (machine-wide, from /proc/net/netstat
/// and /proc/net/snmp): SYNs retransmitted (a connect waits 1 s more), listen queue overflows, UDP datagrams dropped
/// for a full receive buffer (a glibc lookup then waits its resolv.conf timeout). Other work on the machine counts too.
/// </summary>
internal sealed record NetCounters(long SynRetransmits, long ListenOverflows, long ListenDrops, long UdpReceiveBufferErrors)
{
    public static NetCounters Read()
    {
        var tcp = Fields("/proc/net/netstat", "TcpExt:");
        var udp = Fields("/proc/net/snmp", "Udp:");
        return new(tcp.GetValueOrDefault("TCPSynRetrans"), tcp.GetValueOrDefault("ListenOverflows"), tcp.GetValueOrDefault("ListenDrops"),
            udp.GetValueOrDefault("RcvbufErrors"));
    }

    public static NetCounters operator -(NetCounters after, NetCounters before) => new(
        after.SynRetransmits - before.SynRetransmits,
        after.ListenOverflows - before.ListenOverflows,
        after.ListenDrops - before.ListenDrops,
        after.UdpReceiveBufferErrors - before.UdpReceiveBufferErrors);

    // The files hold pairs of lines: "Prefix: Name1 Name2 ..." then "Prefix: value1 value2 ...".
    private static Dictionary<string, long> Fields(string path, string prefix)
    {
        var fields = new Dictionary<string, long>();
        try
        {
            var lines = File.ReadLines(path).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            for (var i = 0; i + 1 < lines.Count; i += 2)
            {
                var names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (var j = 1; j < Math.Min(names.Length, values.Length); j++)
                {
                    if (long.TryParse(values[j], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                    {
                        fields[names[j]] = value;
                    }
                }
            }
        }
        catch (IOException)
        {
            fields.Clear();
        }
        return fields;
    }
}
