using Xunit;

namespace Agent.Tests.Testbeds;

/// <summary>
/// A fact that needs outside tools (python3, socat, ncat...) or "root" (to drop privileges with runuser). Without them it is skipped with a
/// reason naming what is missing; with <c>AGENT_REQUIRE_TESTBEDS=1</c> (CI) it runs anyway and
/// fails in <see cref="Testbed.Tool"/>, so a missing install step cannot hide behind a skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestbedFactAttribute : FactAttribute
{
    /// <summary>Declares the tools the test runs.</summary>
    public TestbedFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => t != "root" && Testbed.Find(t) is null).ToList();
        if (tools.Contains("root") && Environment.UserName != "root")
        {
            missing.Add("root");
        }
        if (missing.Count > 0 && !Testbed.Required)
        {
            Skip = $"needs {string.Join(", ", missing)} on PATH (apt-get install -y socat ncat); "
                + "set AGENT_REQUIRE_TESTBEDS=1 to make this a failure";
        }
    }
}
