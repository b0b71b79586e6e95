using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agent.TestSupport;

namespace Agent.Tests.Node;

/// <summary>
/// Certificates for TLS between test nodes, made with .NET's <see cref="CertificateRequest"/> (what docs/cluster.md does
/// with openssl): a CA, node certificates it signs (subjectAltName, both TLS uses) and self-signed ones, written as PEM
/// files into a test's directory.
/// </summary>
public sealed class TestCa : IDisposable
{
    private static readonly OidCollection NodeUses = [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")];

    private readonly X509Certificate2 _certificate;
    private readonly TempDirectory _dir;

    /// <summary>A CA named <paramref name="name"/>, its certificate written to <c>NAME.crt</c> in <paramref name="dir"/>.</summary>
    public TestCa(TempDirectory dir, string name)
    {
        _dir = dir;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Outlives what it signs (a certificate may not end after its issuer).
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(365));
        CertificatePath = dir.File($"{name}.crt");
        File.WriteAllText(CertificatePath, _certificate.ExportCertificatePem());
    }

    /// <summary>The PEM file of the CA's certificate (what <c>node:tls:ca</c> names).</summary>
    public string CertificatePath { get; }

    /// <summary>A node certificate signed by this CA for <paramref name="name"/> at <paramref name="addresses"/> (127.0.0.1 when none).</summary>
    public NodeCertificate Issue(string name, params string[] addresses) =>
        NodeCertificate.Create(_dir, name, addresses, _certificate);

    /// <inheritdoc />
    public void Dispose() => _certificate.Dispose();

    internal static CertificateRequest NodeRequest(string name, ECDsa key, string[] addresses)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var address in addresses.Length == 0 ? ["127.0.0.1"] : addresses)
        {
            san.AddIpAddress(IPAddress.Parse(address));
        }
        san.AddDnsName($"{name}.test");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(NodeUses, false));
        return request;
    }
}

/// <summary>A node's certificate and key as PEM files, and the certificate's SHA-256 thumbprint.</summary>
/// <param name="CertificatePath">What <c>node:tls:certificate</c> names.</param>
/// <param name="KeyPath">What <c>node:tls:key</c> names.</param>
/// <param name="Thumbprint">Upper-case hex, what <c>node:tls:pinnedThumbprints</c> lists.</param>
public sealed record NodeCertificate(string CertificatePath, string KeyPath, string Thumbprint)
{
    /// <summary>A self-signed node certificate (trusted by pinning its thumbprint, or by naming it as a CA).</summary>
    public static NodeCertificate SelfSigned(TempDirectory dir, string name, params string[] addresses) =>
        Create(dir, name, addresses, issuer: null);

    internal static NodeCertificate Create(TempDirectory dir, string name, string[] addresses, X509Certificate2? issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = TestCa.NodeRequest(name, key, addresses);
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);
        using var certificate = issuer is null
            ? request.CreateSelfSigned(notBefore, notAfter)
            : request.Create(issuer, notBefore, notAfter, Serial());
        var certificatePath = dir.File($"{name}.crt");
        var keyPath = dir.File($"{name}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new NodeCertificate(certificatePath, keyPath, certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    // A positive serial number (DER integers are signed).
    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }

    /// <summary>The <c>agent run</c> options that turn TLS on with this certificate and trust <paramref name="caPath"/>.</summary>
    public string[] RunOptions(string caPath) => ["--tls-cert", CertificatePath, "--tls-key", KeyPath, "--tls-ca", caPath];
}
