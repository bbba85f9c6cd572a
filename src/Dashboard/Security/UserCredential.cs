using System.Text.Json.Serialization;

namespace StreamMonitor.Dashboard.Security;

/// <summary>A person who logs in with a password (HTTP Basic or the session cookie); the principal is <c>user:NAME</c>.</summary>
public sealed record UserCredential : Credential
{
    /// <summary>The salted hash <see cref="Passwords.Hash"/> made; never the password.</summary>
    [JsonPropertyOrder(1)] // after the name and role, for a reader of the file
    public required string PasswordHash { get; init; }

    [JsonIgnore]
    public override string Kind => "user";
}
