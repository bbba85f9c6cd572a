using Microsoft.AspNetCore.Identity;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// Users' passwords, stored as ASP.NET Core Identity's salted PBKDF2 hashes (HMAC-SHA512, 100 000 iterations, a
/// random salt per hash; the format names its parameters, so stronger ones later still read old hashes).
/// </summary>
public static class Passwords
{
    public const int MinimumLength = 8;

    private static readonly PasswordHasher<string> Hasher = new();

    // A hash of nothing anyone knows: checking a name that is not a user costs the same as checking a real one, so
    // the time of a failed login does not tell which user names exist.
    private static readonly Lazy<string> Decoy = new(() => Hasher.HashPassword(string.Empty, Secrets.New("decoy-")));

    public static string Hash(string password)
    {
        if (password.Length < MinimumLength) throw new ArgumentException($"the password must have at least {MinimumLength} characters");
        return Hasher.HashPassword(string.Empty, password);
    }

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="hash"/> was made from; a null hash checks against a decoy and fails.</summary>
    public static bool Verify(string? hash, string password)
    {
        bool matches = Hasher.VerifyHashedPassword(string.Empty, hash ?? Decoy.Value, password) != PasswordVerificationResult.Failed;
        return hash is not null && matches;
    }

    /// <summary>Whether <paramref name="hash"/> reads as a hash this class made (so a hand-edited auth file is refused at load, not at login).</summary>
    public static bool IsHash(string? hash)
    {
        if (string.IsNullOrEmpty(hash)) return false;
        Span<byte> bytes = new byte[hash.Length];
        // Identity's format: a version byte (0x01 for PBKDF2 with its parameters), then salt and subkey.
        return Convert.TryFromBase64String(hash, bytes, out int length) && length > 13 && bytes[0] == 0x01;
    }
}
