
namespace Agent.TestSupport;

/// <summary>A fact that needs the real DNS test bed: root (unshare, bind mounts, port 53), dnsmasq, python3.</summary>
public sealed class DnsTestBedFactAttribute() : TestBedFactAttribute(DnsBed.Needs);
