using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agent.Node;
using Agent.TestSupport;
using Xunit;

namespace Agent.Tests.Node;

/// <summary><c>node:tls</c>: what a node accepts as its TLS settings, what it says about the rest, and the check of a peer's certificate.</summary>
public sealed class NodeTlsConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestCa _ca;
    private readonly NodeCertificate _node;

    public NodeTlsConfigurationTests()
    {
        _ca = new TestCa(_dir, "ca");
        _node = _ca.Issue("node");
    }

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    private (NodeOptions? Options, IReadOnlyList<string> Errors) Load(string? fileJson, params (string Key, string Value)[] commandLine)
    {
        string? file = null;
        if (fileJson is not null)
        {
            file = _dir.File("node.json");
            File.WriteAllText(file, fileJson);
        }
        return NodeConfiguration.Bind(NodeConfiguration.Build(file, commandLine.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))));
    }

    private (NodeOptions? Options, IReadOnlyList<string> Errors) LoadTls(string? certificate, string? key, string? ca, params (string Key, string Value)[] more) =>
        Load(null, [.. new[] { ("node:tls:certificate", certificate), ("node:tls:key", key), ("node:tls:ca", ca) }
            .Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!)), .. more]);

    [Fact]
    public void Embedded_TlsOff_PlainTcpScheme()
    {
        var (options, errors) = Load(null);
        Assert.Empty(errors);
        Assert.False(options!.Node.Tls.Enabled);
        Assert.Equal("akka.tcp", options.RemoteScheme);
        Assert.Empty(options.Node.Tls.PinnedThumbprints);
    }

    [Fact]
    public void CertificateKeyAndCa_TlsOnEvenBeyondLoopback()
    {
        var (options, errors) = LoadTls(_node.CertificatePath, _node.KeyPath, _ca.CertificatePath, ("node:remote", "10.77.0.1:4053"));
        Assert.Empty(errors);
        Assert.True(options!.Node.Tls.Enabled);
        Assert.Equal("akka.ssl.tcp", options.RemoteScheme);
        Assert.False(options.RemoteAddress.IsLoopback);
    }

    [Fact]
    public void PinnedThumbprints_LaterLayerReplacesTheListWhole()
    {
        var one = new string('a', 64);
        var two = new string('B', 64);
        var three = string.Join(':', Enumerable.Repeat("0c", 32));
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["node"] = new System.Text.Json.Nodes.JsonObject
            {
                ["tls"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["certificate"] = _node.CertificatePath,
                    ["key"] = _node.KeyPath,
                    ["pinnedThumbprints"] = new System.Text.Json.Nodes.JsonArray(one, two),
                },
            },
        };
        var (options, errors) = Load(json.ToJsonString(),
            ("node:tls:pinnedThumbprints:0", three));
        Assert.Empty(errors);
        Assert.Equal([three], options!.Node.Tls.PinnedThumbprints);
        Assert.Equal(string.Concat(Enumerable.Repeat("0C", 32)), NodeTls.Thumbprint(three));
    }

    [Fact]
    public void NonLoopbackRemote_WithoutTls_NamesTheKeysToSet()
    {
        var (options, errors) = Load("""{"node": {"remote": "10.77.0.1:4053"}}""");
        Assert.Null(options);
        Assert.Equal("node:remote 10.77.0.1:4053 is not a loopback address: remoting beyond loopback needs mutual TLS: set node:tls:certificate "
            + "and node:tls:key (this node's PEM certificate and private key) and node:tls:ca (the PEM CA certificates peers must chain to) "
            + "or node:tls:pinnedThumbprints (the peers' SHA-256 thumbprints); see docs/cluster.md. Or bind remoting to 127.0.0.1 or [::1]", Assert.Single(errors));
    }

    [Fact]
    public void NeitherCaNorPins_SaysToSetOne()
    {
        var (_, errors) = LoadTls(_node.CertificatePath, _node.KeyPath, null);
        Assert.StartsWith("node:tls: set node:tls:ca (a PEM file of the CA certificates peers' certificates must chain to) or node:tls:pinnedThumbprints", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyCaOrPinsWithoutACertificate_EachNamed()
    {
        var (_, errors) = LoadTls(null, _node.KeyPath, _ca.CertificatePath, ("node:tls:pinnedThumbprints:0", new string('a', 64)));
        Assert.Equal(["key", "ca", "pinnedThumbprints"], errors.Select(e => e.Split(' ')[0]["node:tls:".Length..]));
        Assert.All(errors, e => Assert.EndsWith("is set but node:tls:certificate is not: TLS is on only with this node's certificate (node:tls:certificate and node:tls:key)", e, StringComparison.Ordinal));
    }

    [Fact]
    public void CertificateWithoutKey_SaysToSetIt()
    {
        var (_, errors) = LoadTls(_node.CertificatePath, null, _ca.CertificatePath);
        Assert.Equal("node:tls:key must be set with node:tls:certificate: the PEM file of this node's private key", Assert.Single(errors));
    }

    [Fact]
    public void Sha1Thumbprint_NotASha256One()
    {
        var (_, errors) = LoadTls(_node.CertificatePath, _node.KeyPath, null, ("node:tls:pinnedThumbprints:0", new string('a', 40)));
        Assert.StartsWith($"node:tls:pinnedThumbprints:0: '{new string('a', 40)}' is not a SHA-256 thumbprint (64 hex digits, colons allowed", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void FilesThatDoNotHoldWhatTheyShould_EachNamedByItsKey()
    {
        var text = _dir.File("text.pem");
        File.WriteAllText(text, "not pem\n");
        var (_, errors) = LoadTls(text, text, _dir.Path);
        Assert.Equal(
        [
            $"node:tls:ca: '{_dir.Path}' is a directory, not a PEM file",
            $"node:tls:certificate: '{text}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            $"node:tls:key: '{text}' holds no RSA or EC private key in PEM (-----BEGIN PRIVATE KEY-----)",
        ], errors);
        (_, errors) = LoadTls(_dir.File("none.crt"), _node.KeyPath, text);
        Assert.Equal([$"node:tls:ca: '{text}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", $"node:tls:certificate: '{_dir.File("none.crt")}' does not exist"], errors);
    }

    [Fact]
    public void EncryptedKey_SaysTheNodeReadsAnUnencryptedOne()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encrypted = _dir.File("encrypted.key");
        File.WriteAllText(encrypted, key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));
        var (_, errors) = LoadTls(_node.CertificatePath, encrypted, _ca.CertificatePath);
        Assert.StartsWith($"node:tls:key: '{encrypted}' is encrypted; the node reads an unencrypted key", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void RsaCertificateAndKey_Load_AnEcKeyForItDoesNot()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = _dir.File("rsa.crt");
        var keyPath = _dir.File("rsa.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportRSAPrivateKeyPem());
        Assert.Empty(LoadTls(certificatePath, keyPath, _ca.CertificatePath).Errors);
        Assert.Equal($"node:tls:key: '{_node.KeyPath}' is not the private key of node:tls:certificate '{certificatePath}'",
            Assert.Single(LoadTls(certificatePath, _node.KeyPath, _ca.CertificatePath).Errors));
    }

    [Fact]
    public void ExpiredCertificate_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=old", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        var certificatePath = _dir.File("old.crt");
        var keyPath = _dir.File("old.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportECPrivateKeyPem());
        var error = Assert.Single(LoadTls(certificatePath, keyPath, _ca.CertificatePath).Errors);
        Assert.Matches($"^node:tls:certificate: '{certificatePath}' is valid from .+ to .+ only; peers would refuse it$", error);
    }

    [Fact]
    public void Validate_CaConfigured_AcceptsItsCertificatesOnly()
    {
        using var other = new TestCa(_dir, "other-ca");
        using var tls = Tls(ca: _ca.CertificatePath);
        using var peer = Certificate(_ca.Issue("peer"));
        using var stranger = Certificate(other.Issue("stranger"));
        using var selfSigned = Certificate(NodeCertificate.SelfSigned(_dir, "self"));

        Assert.True(Check(tls, peer));
        Assert.False(Check(tls, stranger));
        Assert.False(Check(tls, selfSigned));
        Assert.False(Check(tls, null));
        // The check leaves the peer's certificate usable (the connection still holds it).
        Assert.True(Check(tls, peer));
        Assert.Equal(64, peer.GetCertHashString(HashAlgorithmName.SHA256).Length);
    }

    [Fact]
    public void Validate_PinsConfigured_AcceptsThePinnedCertificatesOnly()
    {
        var pinned = NodeCertificate.SelfSigned(_dir, "pinned");
        using var tls = Tls(pins: [pinned.Thumbprint.ToLowerInvariant()]);
        using var peer = Certificate(pinned);
        using var other = Certificate(NodeCertificate.SelfSigned(_dir, "other"));

        Assert.True(Check(tls, peer));
        Assert.False(Check(tls, other));
        Assert.False(Check(tls, null));
    }

    [Fact]
    public void Validate_CaAndPins_APeerMustPassBoth()
    {
        var pinnedFromCa = _ca.Issue("pinned");
        var pinnedSelfSigned = NodeCertificate.SelfSigned(_dir, "pinned-self");
        using var tls = Tls(ca: _ca.CertificatePath, pins: [pinnedFromCa.Thumbprint, pinnedSelfSigned.Thumbprint]);
        using var both = Certificate(pinnedFromCa);
        using var caOnly = Certificate(_ca.Issue("unpinned"));
        using var pinOnly = Certificate(pinnedSelfSigned);

        Assert.True(Check(tls, both));
        Assert.False(Check(tls, caOnly));
        Assert.False(Check(tls, pinOnly));
    }

    [Fact]
    public void Validate_CertificateForOneTlsUseOnly_NotANodes_BothUsesOrNoRestrictionIs()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=server-only", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        // TestCa issues node certificates only: a CA made here signs this one.
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=eku-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(10));
        var caPath = _dir.File("eku-ca.crt");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        using var serverOnly = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3]);
        using var nodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var node = TestCa.NodeRequest("both", nodeKey, []).Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [4, 5, 6]);
        using var anyUse = new CertificateRequest("CN=any-use", nodeKey, HashAlgorithmName.SHA256).Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [7, 8, 9]);
        using var tls = Tls(ca: caPath);

        Assert.False(Check(tls, serverOnly));
        Assert.True(Check(tls, node));
        Assert.True(Check(tls, anyUse));
    }

    private NodeTls Tls(string? ca = null, string[]? pins = null)
    {
        var section = new NodeOptions.TlsSection { Certificate = _node.CertificatePath, Key = _node.KeyPath, Ca = ca, PinnedThumbprints = [.. pins ?? []] };
        var errors = new List<string>();
        var tls = NodeTls.Load(section, errors);
        Assert.Empty(errors);
        return tls!;
    }

    private static X509Certificate2 Certificate(NodeCertificate files) => X509Certificate2.CreateFromPem(File.ReadAllText(files.CertificatePath));

    private static bool Check(NodeTls tls, X509Certificate2? peer) =>
        tls.Validate(peer, null, "peer", SslPolicyErrors.None, Akka.Event.NoLogger.Instance);
}
