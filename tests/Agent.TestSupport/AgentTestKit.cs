using System.Globalization;
using Agent.Actors;
using Akka.Configuration;
using Xunit.Abstractions;

namespace Agent.TestSupport;

/// <summary>
/// Akka.TestKit.Xunit2's <c>TestKit</c> with the project's settings: every TestKit deadline dilated by
/// <see cref="TestTime.Factor"/> (<c>akka.test.timefactor</c>), log messages formatted as the product formats
/// them (Serilog message templates, so <c>EventFilter</c> matches the rendered text), and unhandled messages
/// logged. Each test gets a fresh actor system, terminated when the test is disposed.
/// </summary>
public abstract class AgentTestKit : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Creates the test's system; <paramref name="hocon"/> is laid over the project's test settings.</summary>
    protected AgentTestKit(ITestOutputHelper? output = null, string? hocon = null)
        : base(Settings(hocon), null, output) => Sys.StartScheduler();

    /// <summary>The test settings, with <paramref name="hocon"/> (if any) taking precedence.</summary>
    public static Config Settings(string? hocon = null)
    {
        var factor = TestTime.Factor.ToString(CultureInfo.InvariantCulture);
        var settings = ConfigurationFactory.ParseString($$"""
            akka.test.timefactor = {{factor}}
            akka.loglevel = DEBUG
            akka.logger-formatter = "Akka.Logger.Serilog.SerilogLogMessageFormatter, Akka.Logger.Serilog"
            akka.actor.debug.unhandled = on
            """);
        return hocon is null ? settings : ConfigurationFactory.ParseString(hocon).WithFallback(settings);
    }
}
