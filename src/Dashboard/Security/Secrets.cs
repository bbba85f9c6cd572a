using System.Security.Cryptography;
using System.Text;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// Random bearer secrets (API keys, session tokens) and their stored form. A secret carries 256 random bits, so a plain
/// SHA-256 of it is as good as a slow password hash: there is nothing to guess. Only the hash is kept, and a presented
/// secret is checked by hashing it and comparing hashes in constant time.
/// </summary>
public static class Secrets
{
    private const int Bytes = 32;

    /// <summary>A new secret: <paramref name="prefix"/> (which tells a reader what it is) and 43 URL-safe characters.</summary>
    public static string New(string prefix) => prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The stored form of <paramref name="secret"/>: its SHA-256, lowercase hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in time that does not depend on where
    /// the two first differ.
    /// </summary>
    public static bool Matches(string storedHash, string secret) => Matches(storedHash, SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary><see cref="Matches(string, string)"/> with the secret already hashed, to check one secret against many stored hashes.</summary>
    public static bool Matches(string storedHash, ReadOnlySpan<byte> secretHash)
    {
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        return Convert.FromHexString(storedHash, stored, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == stored.Length
            && CryptographicOperations.FixedTimeEquals(stored, secretHash);
    }

    /// <summary>Whether <paramref name="hash"/> has the form <see cref="Hash"/> gives (64 hex digits).</summary>
    public static bool IsHash(string? hash) => hash is { Length: SHA256.HashSizeInBytes * 2 } && hash.All(char.IsAsciiHexDigit);
}
