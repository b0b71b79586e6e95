using Xunit;

namespace Agent.TestSupport;

/// <summary>
/// A fact that needs outside tools or root (see <see cref="TestBed"/>). Without them it is
/// skipped with a reason naming what is missing, unless <c>AGENT_REQUIRE_TESTBEDS=1</c>,
/// in which case it runs and fails where the test body calls <see cref="TestBed.Tool"/> or
/// <see cref="TestBed.Require"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public class TestBedFactAttribute : FactAttribute
{
    /// <summary>Declares the tools (or <see cref="TestBed.Root"/>) the test needs.</summary>
    public TestBedFactAttribute(params string[] needs) => Skip = TestBed.SkipReason(needs);
}
