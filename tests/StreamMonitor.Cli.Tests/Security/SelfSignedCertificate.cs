using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary>A server certificate for 127.0.0.1 and localhost, made for one test and trusted by that test's clients alone.</summary>
internal static class SelfSignedCertificate
{
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=streammonitor test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    /// <summary>Writes the certificate and its private key as two PEM files; returns their paths.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string folder)
    {
        var paths = (Path.Combine(folder, "server.crt"), Path.Combine(folder, "server.key"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    /// <summary>A client that accepts this certificate and no other, not even one the system trusts.</summary>
    public static HttpClient TrustingOnly(X509Certificate2 certificate) => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.RawData.AsSpan().SequenceEqual(certificate.RawData),
    }) { Timeout = TimeSpan.FromSeconds(30) };
}
