using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Agent.Node;

/// <summary>
/// Mutual TLS between nodes (<c>node:tls</c>, docs/cluster.md): this node's certificate and key from PEM files, and the
/// check every peer's certificate must pass on every remoting connection, accepted and opened alike: it chains to a
/// certificate of <c>node:tls:ca</c>, and its SHA-256 thumbprint is one of <c>node:tls:pinnedThumbprints</c> (each
/// check applies when it is configured; with both, a peer must pass both). A peer without a certificate never passes.
/// Host names are not checked: a node is known by its certificate, not by the address it was reached at.
/// </summary>
internal sealed class NodeTls : IDisposable
{
    /// <summary>The most a PEM file may hold (1 MiB): a chain of certificates is a few KiB, and a wrong path (<c>/dev/zero</c>) must not take all memory.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    // A node's certificate serves both ends of a connection; a certificate restricted to one of them is not a node's.
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2Collection _authorities;
    private readonly HashSet<string> _pinned;

    private NodeTls(X509Certificate2 certificate, X509Certificate2Collection authorities, HashSet<string> pinned)
    {
        Certificate = certificate;
        _authorities = authorities;
        _pinned = pinned;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Akka.Remote's TLS for <paramref name="section"/> (which is <see cref="NodeOptions.TlsSection.Enabled"/>): mutual, with
    /// this node's certificate, peers checked by <see cref="Validate"/>; the remoting settings switch it on
    /// (<see cref="Hosting.AkkaHocon.Remoting"/>). Call after <see cref="NodeOptions.Validate"/> found nothing.
    /// </summary>
    public static DotNettySslSetup Setup(NodeOptions.TlsSection section)
    {
        var errors = new List<string>();
        // Lives as long as the process: the transport holds the certificate and the validator.
        var tls = Load(section, errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        return new DotNettySslSetup(tls.Certificate, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: false, customValidator: tls.Validate);
    }

    /// <summary>
    /// The certificate, key, CA certificates and pins of <paramref name="section"/>, or null with every problem added to
    /// <paramref name="errors"/>, each naming its key; null without errors when TLS is off.
    /// </summary>
    public static NodeTls? Load(NodeOptions.TlsSection section, List<string> errors)
    {
        var before = errors.Count;
        if (!section.Enabled)
        {
            foreach (var (key, set) in new[] { ("key", section.Key is { Length: > 0 }), ("ca", section.Ca is { Length: > 0 }), ("pinnedThumbprints", section.PinnedThumbprints.Count > 0) })
            {
                if (set)
                {
                    errors.Add($"node:tls:{key} is set but node:tls:certificate is not: TLS is on only with this node's certificate (node:tls:certificate and node:tls:key)");
                }
            }
            return null;
        }
        var pinned = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < section.PinnedThumbprints.Count; i++)
        {
            if (Thumbprint(section.PinnedThumbprints[i]) is { } thumbprint)
            {
                pinned.Add(thumbprint);
            }
            else
            {
                errors.Add($"node:tls:pinnedThumbprints:{i}: '{Messages.Endpoint.Escaped(section.PinnedThumbprints[i])}' is not a SHA-256 thumbprint "
                    + "(64 hex digits, colons allowed: openssl x509 -noout -fingerprint -sha256 -in PEER.crt)");
            }
        }
        if (section.Ca is not { Length: > 0 } && section.PinnedThumbprints.Count == 0)
        {
            errors.Add("node:tls: set node:tls:ca (a PEM file of the CA certificates peers' certificates must chain to) or node:tls:pinnedThumbprints "
                + "(the SHA-256 thumbprints of the peers' certificates), or both: without them no peer could be checked");
        }
        var authorities = new X509Certificate2Collection();
        if (section.Ca is { Length: > 0 } caPath && ReadPem(errors, "node:tls:ca", caPath) is { } caPem)
        {
            try
            {
                authorities.ImportFromPem(caPem);
            }
            catch (CryptographicException)
            {
                // Reported below as a file without certificates.
            }
            if (authorities.Count == 0)
            {
                errors.Add($"node:tls:ca: '{caPath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
        }
        var certificate = LoadCertificate(errors, section);
        if (errors.Count > before)
        {
            certificate?.Dispose();
            foreach (var authority in authorities)
            {
                authority.Dispose();
            }
            return null;
        }
        return new NodeTls(certificate!, authorities, pinned);
    }

    /// <summary>
    /// Akka.Remote's check of a peer's certificate, on accepted and opened connections alike: true when it passes every
    /// configured check. <paramref name="errors"/> (the platform's view against the system's trust store and the host
    /// name) is not consulted: the configured CA and pins are the only authorities. A rejection is logged with why.
    /// </summary>
    public bool Validate(X509Certificate2? peer, X509Chain? presented, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        var problem = Problem(peer, presented);
        if (problem is not null)
        {
            log.Warning("TLS: rejected the certificate of {0}: {1}", remotePeer, problem);
        }
        return problem is null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in _authorities)
        {
            authority.Dispose();
        }
    }

    /// <summary>The upper-case hex of a SHA-256 thumbprint written with or without colons, in any case; null for anything else.</summary>
    public static string? Thumbprint(string text)
    {
        var hex = text.Replace(":", "", StringComparison.Ordinal).Trim();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex.ToUpperInvariant() : null;
    }

    /// <summary>The SHA-256 thumbprint of <paramref name="certificate"/> as <see cref="Thumbprint"/> writes it.</summary>
    public static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private string? Problem(X509Certificate2? peer, X509Chain? presented)
    {
        if (peer is null)
        {
            return "it presented none";
        }
        var subject = $"'{peer.Subject}'";
        var now = DateTime.Now;
        if (now < peer.NotBefore || now > peer.NotAfter)
        {
            return $"{subject} is valid from {peer.NotBefore.ToUniversalTime():u} to {peer.NotAfter.ToUniversalTime():u} only";
        }
        if (_pinned.Count > 0 && !_pinned.Contains(Sha256(peer)))
        {
            return $"{subject} has the SHA-256 thumbprint {Sha256(peer)}, which node:tls:pinnedThumbprints does not list";
        }
        if (_authorities.Count > 0 && ChainProblem(peer, presented) is { } chain)
        {
            return $"{subject} does not chain to a certificate of node:tls:ca ({chain})";
        }
        return null;
    }

    // Builds the peer's chain to the configured CA certificates alone (never the system's store), with the
    // intermediates the peer sent; no revocation lists or downloads, which a closed network cannot reach.
    private string? ChainProblem(X509Certificate2 peer, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        try
        {
            if (chain.Build(peer))
            {
                return null;
            }
            var statuses = chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct().ToList();
            return statuses.Count > 0 ? string.Join("; ", statuses) : "no chain";
        }
        finally
        {
            // The chain's elements are copies the chain does not release.
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    private static X509Certificate2? LoadCertificate(List<string> errors, NodeOptions.TlsSection section)
    {
        var certificatePath = section.Certificate!;
        var certificatePem = ReadPem(errors, "node:tls:certificate", certificatePath);
        X509Certificate2? certificate = null;
        if (certificatePem is not null)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPem(certificatePem);
            }
            catch (CryptographicException)
            {
                errors.Add($"node:tls:certificate: '{certificatePath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
        }
        if (certificate is not null)
        {
            var now = DateTime.Now;
            if (now < certificate.NotBefore || now > certificate.NotAfter)
            {
                errors.Add($"node:tls:certificate: '{certificatePath}' is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u} only; peers would refuse it");
            }
        }
        if (section.Key is not { Length: > 0 } keyPath)
        {
            errors.Add("node:tls:key must be set with node:tls:certificate: the PEM file of this node's private key");
            certificate?.Dispose();
            return null;
        }
        using var key = ReadPem(errors, "node:tls:key", keyPath) is { } keyPem ? PrivateKey(errors, keyPath, keyPem) : null;
        if (certificate is null || key is null)
        {
            certificate?.Dispose();
            return null;
        }
        var matches = certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
        X509Certificate2? withKey = null;
        if (matches)
        {
            withKey = key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => null,
            };
        }
        certificate.Dispose();
        if (withKey is null)
        {
            errors.Add($"node:tls:key: '{keyPath}' is not the private key of node:tls:certificate '{certificatePath}'");
        }
        return withKey;
    }

    // The first unencrypted private key of the PEM text (PKCS#8, or the traditional RSA and EC forms), RSA or EC.
    private static AsymmetricAlgorithm? PrivateKey(List<string> errors, string path, string pem)
    {
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var block = rest[fields.Location].ToString();
            rest = rest[fields.Location.End..];
            if (label == "ENCRYPTED PRIVATE KEY")
            {
                errors.Add($"node:tls:key: '{path}' is encrypted; the node reads an unencrypted key (openssl pkey -in KEY -out PLAIN.key), kept readable by its user only");
                return null;
            }
            if (!label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var create in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
            {
                var key = create();
                try
                {
                    key.ImportFromPem(block);
                    return key;
                }
                catch (Exception e) when (e is ArgumentException or CryptographicException)
                {
                    key.Dispose();
                }
            }
        }
        errors.Add($"node:tls:key: '{path}' holds no RSA or EC private key in PEM (-----BEGIN PRIVATE KEY-----)");
        return null;
    }

    // The text of a PEM file, at most MaxFileBytes of it; null (with the error, naming the key) when it cannot be read.
    private static string? ReadPem(List<string> errors, string key, string path)
    {
        if (Directory.Exists(path))
        {
            errors.Add($"{key}: '{path}' is a directory, not a PEM file");
            return null;
        }
        try
        {
            using var file = File.OpenRead(path);
            var bytes = new byte[MaxFileBytes + 1];
            var length = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (length > MaxFileBytes)
            {
                errors.Add($"{key}: '{path}' is over the {MaxFileBytes / 1024 / 1024} MiB a PEM file may hold");
                return null;
            }
            return System.Text.Encoding.ASCII.GetString(bytes, 0, length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            errors.Add($"{key}: '{path}' does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            errors.Add($"{key}: '{path}' cannot be read (permission denied)");
        }
        catch (IOException e)
        {
            errors.Add($"{key}: '{path}' cannot be read ({e.Message})");
        }
        return null;
    }
}
