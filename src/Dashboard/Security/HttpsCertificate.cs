using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StreamMonitor.Dashboard.Security;

/// <summary>Reads the certificate <c>serve --https-cert</c> names: PEM (key in <c>--https-key</c> or in the same file) or PKCS#12.</summary>
public static class HttpsCertificate
{
    /// <summary>The password of a PKCS#12 file, from the environment so it stays off the command line and out of <c>ps</c>.</summary>
    public const string PasswordVariable = "STREAMMONITOR_HTTPS_PASSWORD";

    public static X509Certificate2 Load(string certificatePath, string? keyPath)
    {
        if (!File.Exists(certificatePath)) throw new FileNotFoundException($"--https-cert: {certificatePath}: no such file", certificatePath);
        if (keyPath is not null && !File.Exists(keyPath)) throw new FileNotFoundException($"--https-key: {keyPath}: no such file", keyPath);
        bool pem = IsPem(certificatePath);
        X509Certificate2 certificate;
        try
        {
            if (pem)
            {
                certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            }
            else
            {
                if (keyPath is not null) throw new ArgumentException($"--https-key: {certificatePath} is PKCS#12, which holds its key; --https-key is for PEM certificates");
                certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, Environment.GetEnvironmentVariable(PasswordVariable));
            }
        }
        catch (CryptographicException e)
        {
            var what = pem ? $"{certificatePath}{(keyPath is null ? "" : $" with key {keyPath}")}" : $"{certificatePath} (read as PKCS#12, having no PEM '-----BEGIN')";
            throw new FormatException($"--https-cert: {what}: {e.Message}");
        }
        if (!certificate.HasPrivateKey)
            throw new FormatException($"--https-cert: {certificatePath}: no private key (give it with --https-key)");
        return certificate;
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[4096];
        int read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
