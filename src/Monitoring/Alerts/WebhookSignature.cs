using System.Security.Cryptography;
using System.Text;

namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// How a webhook receiver knows a post came from this server, untouched and recent: the server sends the unix time in
/// <see cref="TimestampHeader"/> and <c>sha256=HEX</c> in <see cref="SignatureHeader"/>, the HMAC-SHA256 of
/// <c>"{timestamp}.{body}"</c> keyed with the webhook's secret (UTF-8). The timestamp inside the signed text lets the
/// receiver refuse an old post replayed.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-StreamMonitor-Timestamp";
    public const string SignatureHeader = "X-StreamMonitor-Signature";
    public const string Prefix = "sha256=";

    public static string Sign(string secret, long timestamp, string body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>Whether <paramref name="signature"/> is the one <see cref="Sign"/> gives (compared in constant time).</summary>
    public static bool Verify(string secret, long timestamp, string body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
