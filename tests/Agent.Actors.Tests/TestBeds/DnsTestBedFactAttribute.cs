using Xunit;

namespace Agent.Actors.Tests.TestBeds;

/// <summary>
/// A fact that needs the real DNS test bed (root, unshare, dnsmasq). It is skipped with
/// the reason when the bed is unavailable, unless AGENT_REQUIRE_TESTBEDS=1, in which case
/// it runs and fails (the test body calls <see cref="TestBeds.RequireDnsBed"/>).
/// </summary>
public sealed class DnsTestBedFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the bed cannot run and is not required.</summary>
    public DnsTestBedFactAttribute()
    {
        if (!TestBeds.Required && TestBeds.DnsBedUnavailableReason() is { } reason)
        {
            Skip = $"DNS test bed unavailable: {reason} (AGENT_REQUIRE_TESTBEDS=1 makes this a failure)";
        }
    }
}
