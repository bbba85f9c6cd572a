using System.Text.Json.Serialization;

namespace StreamMonitor.Dashboard.Security;

/// <summary>A key a script sends as <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>; the principal is <c>key:NAME</c>.</summary>
public sealed record ApiKeyCredential : Credential
{
    /// <summary>The key's SHA-256 (<see cref="Secrets.Hash"/>); the key itself is shown once, when it is made, and kept nowhere.</summary>
    [JsonPropertyOrder(1)] // after the name and role, for a reader of the file
    public required string Sha256 { get; init; }

    [JsonIgnore]
    public override string Kind => "key";
}
