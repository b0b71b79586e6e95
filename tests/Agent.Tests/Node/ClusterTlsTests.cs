using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;
using static Agent.Tests.Node.ClusterTestKit;

namespace Agent.Tests.Node;

/// <summary>
/// Issue 9: real <c>agent run</c> processes over mutual TLS on loopback. Members whose certificates pass each other's
/// checks form a cluster over <c>akka.ssl.tcp</c>; a peer without a valid certificate never associates (Akka.NET before
/// 1.5.52 did not enforce client certificates, CVE-2025-61778) while the members keep serving each other.
/// </summary>
public sealed class ClusterTlsTests
{
    [Fact]
    public async Task TwoNodesFromOneCa_JoinOverSslTcp_BothUp()
    {
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        await using var first = await RunningNode.StartAsync(dir, "first", ca.Issue("first").RunOptions(ca.CertificatePath));
        // The second takes its TLS settings from the environment, as a deployment would.
        var second = ca.Issue("second");
        await using var secondNode = await RunningNode.StartAsync(dir, "second", new Dictionary<string, string>
        {
            ["AGENT_NODE__TLS__CERTIFICATE"] = second.CertificatePath,
            ["AGENT_NODE__TLS__KEY"] = second.KeyPath,
            ["AGENT_NODE__TLS__CA"] = ca.CertificatePath,
        }, "--seed", first.Remote);

        var members = await WaitForMembersAsync(first.Api, AllUp(2));
        Assert.Equal([$"akka.ssl.tcp://agent@{first.Remote}", $"akka.ssl.tcp://agent@{secondNode.Remote}"],
            members.Select(m => m["address"]!.GetValue<string>()));
        Assert.True(members.All(m => m["reachable"]!.GetValue<bool>()));
        Assert.Contains($"member second up at akka.ssl.tcp://agent@{secondNode.Remote}", secondNode.Process.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// The stranger trusts the cluster's CA, so only the first node's check of the stranger's (client) certificate stands
    /// between it and the cluster: exactly what CVE-2025-61778 was about. Under TLS 1.3 the stranger's side of the
    /// handshake may complete before the refusal reaches it (it then tries again, refused again) or not (its outbound
    /// handshake failed, and Akka.Remote stops it): which one is a matter of timing, so only the first refusal is awaited.
    /// </summary>
    [Fact]
    public async Task NodeWithACertificateFromAnotherCa_NeverAssociates_TheMembersKeepServing()
    {
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        using var other = new TestCa(dir, "other-ca");
        await using var first = await RunningNode.StartAsync(dir, "first", ca.Issue("first").RunOptions(ca.CertificatePath));
        await using var second = await RunningNode.StartAsync(dir, "second", [.. ca.Issue("second").RunOptions(ca.CertificatePath), "--seed", first.Remote]);
        await WaitForMembersAsync(first.Api, AllUp(2));

        await using var stranger = AgentProcess.StartAgent(dir.Path,
            ["run", "--name", "stranger", "--echo", "tcp:127.0.0.1:0", "--seed", first.Remote, .. other.Issue("stranger").RunOptions(ca.CertificatePath)]);
        await first.Process.ExpectStderrAsync("'CN=stranger' does not chain to a certificate of node:tls:ca", 40);
        await first.Process.ExpectStderrAsync("Rejected incoming connection", 20);

        Assert.Equal(["first", "second"], (await WaitForMembersAsync(first.Api, AllUp(2))).Select(m => m["name"]!.GetValue<string>()));
        Assert.DoesNotContain("member stranger up", stranger.Stdout, StringComparison.Ordinal);
        await AssertServingAsync(dir, second, "first", "second");
    }

    /// <summary>
    /// Akka.Remote ends a node whose own (outbound) handshake fails: a node that does not trust its seed's certificate
    /// stops, exit 1, saying so in one line; the seed logs the refused connection and goes on.
    /// </summary>
    [Fact]
    public async Task NodeThatDistrustsItsSeed_StopsWithExitOneSayingWhy_TheSeedGoesOn()
    {
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        using var other = new TestCa(dir, "other-ca");
        await using var first = await RunningNode.StartAsync(dir, "first", ca.Issue("first").RunOptions(ca.CertificatePath));

        await using var lost = AgentProcess.StartAgent(dir.Path,
            ["run", "--name", "lost", "--echo", "tcp:127.0.0.1:0", "--seed", first.Remote, .. other.Issue("lost").RunOptions(other.CertificatePath)]);

        Assert.Equal(1, await lost.WaitForExitAsync(60));
        var verdict = lost.Stderr.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("agent: TLS handshake failed on outbound connection to [", verdict, StringComparison.Ordinal);
        Assert.EndsWith("Akka.Remote stops a node whose outbound TLS handshake fails", verdict, StringComparison.Ordinal);
        Assert.Contains("TLS: rejected the certificate of ssl.tcp://agent@" + first.Remote + ": 'CN=first' does not chain to a certificate of node:tls:ca",
            lost.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("member lost up", lost.Stdout, StringComparison.Ordinal);
        await first.Process.ExpectStderrAsync("Rejected incoming connection", 20);
        Assert.Equal(["first"], (await WaitForMembersAsync(first.Api, AllUp(1))).Select(m => m["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PinnedThumbprints_PinnedPeerJoins_UnpinnedPeerNeverAssociates()
    {
        using var dir = new TempDirectory();
        var a = NodeCertificate.SelfSigned(dir, "a");
        var b = NodeCertificate.SelfSigned(dir, "b");
        var c = NodeCertificate.SelfSigned(dir, "c");
        // As openssl prints it (colons) and in lower case: both name the same thumbprint.
        var bAsOpenSslPrintsIt = string.Join(':', b.Thumbprint.Chunk(2).Select(pair => new string(pair))).ToLowerInvariant();
        await using var nodeA = await RunningNode.StartAsync(dir, "a", Pins(bAsOpenSslPrintsIt), "--tls-cert", a.CertificatePath, "--tls-key", a.KeyPath);
        await using var nodeB = await RunningNode.StartAsync(dir, "b", Pins(a.Thumbprint), "--tls-cert", b.CertificatePath, "--tls-key", b.KeyPath, "--seed", nodeA.Remote);
        await WaitForMembersAsync(nodeA.Api, AllUp(2));

        // c pins a, so its side of each handshake succeeds; a does not pin c.
        await using var nodeC = AgentProcess.StartAgent(dir.Path, Pins(a.Thumbprint),
            ["run", "--name", "c", "--echo", "tcp:127.0.0.1:0", "--tls-cert", c.CertificatePath, "--tls-key", c.KeyPath, "--seed", nodeA.Remote]);
        await nodeA.Process.ExpectStderrAsync($"'CN=c' has the SHA-256 thumbprint {c.Thumbprint}, which node:tls:pinnedThumbprints does not list", 40);
        Assert.Equal(["a", "b"], (await WaitForMembersAsync(nodeA.Api, AllUp(2))).Select(m => m["name"]!.GetValue<string>()));
        Assert.DoesNotContain("member c up", nodeC.Stdout, StringComparison.Ordinal);
        await AssertServingAsync(dir, nodeB, "a", "b");
    }

    /// <summary>
    /// Bytes that are no TLS client hello, plain HTTP, a handshake left half done, and TLS clients without a valid
    /// certificate: each is refused or left alone, and the cluster goes on.
    /// </summary>
    [Fact]
    public async Task GarbageAndUncertifiedClientsOnTheRemotingPort_Refused_TheNodeKeepsServing()
    {
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        using var other = new TestCa(dir, "other-ca");
        await using var first = await RunningNode.StartAsync(dir, "first", ca.Issue("first").RunOptions(ca.CertificatePath));
        await using var second = await RunningNode.StartAsync(dir, "second", [.. ca.Issue("second").RunOptions(ca.CertificatePath), "--seed", first.Remote]);
        await WaitForMembersAsync(first.Api, AllUp(2));
        var port = int.Parse(first.Remote.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        // A handshake that starts (a ClientHello record header announcing 512 bytes) and never finishes, held open while
        // everything below goes on.
        using var stalled = new TcpClient();
        await stalled.ConnectAsync(IPAddress.Loopback, port);
        await stalled.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 });

        await AssertClosedUnansweredAsync(port, stream => stream.WriteAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096)).AsTask());
        await AssertClosedUnansweredAsync(port, stream => stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {first.Remote}\r\n\r\n")).AsTask());
        await AssertTlsClientRefusedAsync(port, clientCertificate: null);
        var stranger = other.Issue("stranger");
        using (var strangerCertificate = X509Certificate2.CreateFromPemFile(stranger.CertificatePath, stranger.KeyPath))
        {
            await AssertTlsClientRefusedAsync(port, strangerCertificate);
        }

        await first.Process.ExpectStderrAsync("Mutual TLS required but client did not provide a certificate", 20);
        await first.Process.ExpectStderrAsync("'CN=stranger' does not chain to a certificate of node:tls:ca", 20);
        var members = await WaitForMembersAsync(first.Api, AllUp(2));
        Assert.True(members.All(m => m["reachable"]!.GetValue<bool>()));
        await AssertServingAsync(dir, second, "first", "second");
        // And it still takes a new member.
        await using var third = await RunningNode.StartAsync(dir, "third", [.. ca.Issue("third").RunOptions(ca.CertificatePath), "--seed", first.Remote]);
        await WaitForMembersAsync(first.Api, AllUp(3));
    }

    [Fact]
    public async Task NonLoopbackRemoteWithoutTls_ExitsTwoNamingTheKeysToSet()
    {
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "run", "--remote", "192.0.2.1:0", "--echo", "tcp:127.0.0.1:0");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("agent: config: node:remote 192.0.2.1:0 is not a loopback address: remoting beyond loopback needs mutual TLS: set node:tls:certificate and node:tls:key", line, StringComparison.Ordinal);
        Assert.Contains("node:tls:ca", line, StringComparison.Ordinal);
        Assert.Contains("node:tls:pinnedThumbprints", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyFileMissing_ExitsTwoNamingTheKey()
    {
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        var node = ca.Issue("node");
        var missing = dir.File("missing.key");
        var (code, _, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "run", "--echo", "tcp:127.0.0.1:0",
            "--tls-cert", node.CertificatePath, "--tls-key", missing, "--tls-ca", ca.CertificatePath);
        Assert.Equal(2, code);
        Assert.Equal($"agent: config: node:tls:key: '{missing}' does not exist", stderr.Trim());
    }

    [Fact]
    public async Task CertificateAndKeyMismatched_ExitsTwoNamingBoth()
    {
        using var dir = new TempDirectory();
        using var ca = new TestCa(dir, "ca");
        var one = ca.Issue("one");
        var two = ca.Issue("two");
        var (code, _, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "run", "--echo", "tcp:127.0.0.1:0",
            "--tls-cert", one.CertificatePath, "--tls-key", two.KeyPath, "--tls-ca", ca.CertificatePath);
        Assert.Equal(2, code);
        Assert.Equal($"agent: config: node:tls:key: '{two.KeyPath}' is not the private key of node:tls:certificate '{one.CertificatePath}'", stderr.Trim());
    }

    private static Dictionary<string, string> Pins(string thumbprint) => new() { ["AGENT_NODE__TLS__PINNEDTHUMBPRINTS__0"] = thumbprint };

    // A fresh `agent nodes` request through `node` answers, listing `names` Up.
    private static async Task AssertServingAsync(TempDirectory dir, RunningNode node, params string[] names)
    {
        var (code, stdout, stderr) = await AgentProcess.RunAgentAsync(dir.Path, "nodes", "--api", node.Api, "--json");
        Assert.True(code == 0, stderr);
        var members = JsonNode.Parse(stdout)!["members"]!.AsArray();
        Assert.Equal(names, members.Select(m => m!["name"]!.GetValue<string>()));
        Assert.True(members.All(m => m!["status"]!.GetValue<string>() == "Up" && m["reachable"]!.GetValue<bool>()));
    }

    // A TLS client that accepts the node's certificate but has none the node accepts: the handshake fails, or the
    // connection is closed before a byte of remoting gets through.
    private static async Task AssertTlsClientRefusedAsync(int port, X509Certificate2? clientCertificate)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(TestBed.Dilated(20));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "first.test",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            }, deadline.Token);
            await tls.WriteAsync(Encoding.ASCII.GetBytes("not an association"), deadline.Token);
            Assert.Equal(0, await tls.ReadAsync(new byte[4096], deadline.Token));
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // Refused during the handshake, or reset after it: either way nothing got through.
        }
    }
}
