using Agent.Messages.Checks;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Agent.Messages.Tests.Checks;

/// <summary>Target grammar properties, checked by FsCheck (500 cases each) over the endpoint generators.</summary>
public sealed class ProbeTargetPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static readonly string[] Schemes = ["dns:", "tcp:", "tcp-echo:", "udp-echo:", "unix-echo:", "unix-dgram-echo:"];

    // Every endpoint a probe can target, as the target of each kind that takes it.
    private static Arbitrary<ProbeTarget> Targets() =>
        EndpointGenerators.Endpoints().Generator
            .Where(e => e.IsUnix ? e.Path.Length > 0 : e.Host.Length > 0 && e.Port > 0 && !e.IsBroadcast)
            .SelectMany(e => Gen.Elements(e.Kind switch
            {
                EndpointKind.Tcp => new[] { ProbeKind.Tcp, ProbeKind.TcpEcho },
                EndpointKind.Udp => [ProbeKind.UdpEcho],
                EndpointKind.Unix => [ProbeKind.UnixEcho],
                _ => [ProbeKind.UnixDgramEcho],
            }).Select(kind => ProbeTarget.Of(kind, e)))
            .ToArbitrary();

    [Fact]
    public void Parse_OfToString_RoundTrips() =>
        Prop.ForAll(Targets(), t => ProbeTarget.Parse(t.ToString()) == t && ProbeTarget.Parse(t.ToString()).ToString() == t.ToString())
            .Check(Config);

    [Fact]
    public void TryParse_SchemePrefixedNoise_NeverThrowsAndRoundTripsWhenAccepted() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), rest =>
            Schemes.All(scheme =>
                ProbeTarget.TryParse(scheme + rest, out var target, out var error)
                    ? ProbeTarget.Parse(target.ToString()) == target
                    : error.Length > 0 && !error.Contains('\n', StringComparison.Ordinal)))
            .Check(Config);
}
