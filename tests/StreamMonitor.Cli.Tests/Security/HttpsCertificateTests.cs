using System.Security.Cryptography.X509Certificates;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary>What <c>serve --https-cert</c> reads: PEM with a separate key, PEM with the key inside, PKCS#12; and what it refuses.</summary>
public sealed class HttpsCertificateTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PemAndPkcs12CertificatesLoadWithTheirKeys()
    {
        using var made = SelfSignedCertificate.Create();
        var (certificate, key) = SelfSignedCertificate.WritePem(made, _temp.Path);
        using var fromPem = HttpsCertificate.Load(certificate, key);
        Assert.Equal(made.Thumbprint, fromPem.Thumbprint);
        Assert.True(fromPem.HasPrivateKey);

        var combined = _temp.File("combined.pem");
        File.WriteAllText(combined, File.ReadAllText(certificate) + "\n" + File.ReadAllText(key));
        using var fromCombined = HttpsCertificate.Load(combined, null);
        Assert.True(fromCombined.HasPrivateKey);

        var pfx = _temp.File("server.pfx");
        File.WriteAllBytes(pfx, made.Export(X509ContentType.Pkcs12));
        using var fromPfx = HttpsCertificate.Load(pfx, null);
        Assert.Equal(made.Thumbprint, fromPfx.Thumbprint);
        Assert.True(fromPfx.HasPrivateKey);
    }

    [Fact]
    public void ACertificateWithoutItsKeyOrNotACertificateIsOneErrorNamingTheFile()
    {
        using var made = SelfSignedCertificate.Create();
        var (certificate, _) = SelfSignedCertificate.WritePem(made, _temp.Path);
        Assert.StartsWith($"--https-cert: {certificate}:", Assert.Throws<FormatException>(() => HttpsCertificate.Load(certificate, null)).Message);

        var garbage = _temp.File("garbage.crt");
        File.WriteAllText(garbage, "not a certificate");
        Assert.Contains("read as PKCS#12", Assert.Throws<FormatException>(() => HttpsCertificate.Load(garbage, null)).Message);
        Assert.Equal($"--https-key: {_temp.File("none.key")}: no such file",
            Assert.Throws<FileNotFoundException>(() => HttpsCertificate.Load(certificate, _temp.File("none.key"))).Message);
    }
}
