using Xunit;

namespace Agent.TestSupport;

/// <summary>A theory that needs outside tools or root: skipped, or with <c>AGENT_REQUIRE_TESTBEDS=1</c> failed, as <see cref="TestBedFactAttribute"/> is.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestBedTheoryAttribute : TheoryAttribute
{
    /// <summary>Declares the tools (or <see cref="TestBed.Root"/>) the test needs.</summary>
    public TestBedTheoryAttribute(params string[] needs) => Skip = TestBed.SkipReason(needs);
}
