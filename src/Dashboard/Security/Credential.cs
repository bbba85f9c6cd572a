using System.Text.Json.Serialization;

namespace StreamMonitor.Dashboard.Security;

/// <summary>What a user and an API key have in common: a name, a role and when they were added.</summary>
public abstract record Credential
{
    public required string Name { get; init; }
    public required Role Role { get; init; }
    public DateTimeOffset Created { get; init; }

    /// <summary>The principal it authenticates as, e.g. <c>user:alice</c> or <c>key:ci</c>: the kind keeps a user and a key of one name apart.</summary>
    [JsonIgnore]
    public string Principal => $"{Kind}:{Name}";

    /// <summary><c>user</c> or <c>key</c>.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }
}
