using Agent.Messages;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Agent.Messages.Tests;

/// <summary>Grammar properties, checked by FsCheck (500 cases each) from xunit facts.</summary>
public sealed class EndpointPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static void Check<T>(Arbitrary<T> arbitrary, Func<T, bool> property) =>
        Prop.ForAll(arbitrary, property).Check(Config);

    [Fact]
    public void Parse_OfToString_RoundTrips() =>
        Check(EndpointGenerators.Endpoints(), e => Endpoint.Parse(e.ToString()) == e);

    [Fact]
    public void ToString_OfParse_IsTheSameText() =>
        Check(EndpointGenerators.Endpoints(), e => Endpoint.Parse(e.ToString()).ToString() == e.ToString());

    [Fact]
    public void Port_InRange_IsKept() =>
        Check(EndpointGenerators.Endpoints(), e => e.IsUnix ? e.Port == 0 : e.Port is >= 0 and <= 65535);

    [Fact]
    public void TryParse_AnyString_NeverThrowsAndRoundTripsWhenAccepted() =>
        Check(ArbMap.Default.ArbFor<string>(), text =>
            Endpoint.TryParse(text, out var endpoint, out var error)
                ? Endpoint.Parse(endpoint.ToString()) == endpoint
                : !string.IsNullOrWhiteSpace(error));

    [Fact]
    public void TryParse_SchemePrefixedNoise_NeverThrows() =>
        Check(ArbMap.Default.ArbFor<string>(), rest =>
            new[] { "tcp:", "udp:", "unix:", "unix-dgram:", "tcp:[" }.All(scheme =>
                Endpoint.TryParse(scheme + rest, out var endpoint, out var error)
                    ? Endpoint.Parse(endpoint.ToString()) == endpoint
                    : error.Length > 0));

    [Fact]
    public void Port_AboveRange_IsRejectedWithTheRange() =>
        Check(ArbMap.Default.ArbFor<PositiveInt>(), above =>
            !Endpoint.TryParse($"tcp:127.0.0.1:{65535L + above.Get}", out _, out var error)
            && error.Contains("0-65535", StringComparison.Ordinal));
}
