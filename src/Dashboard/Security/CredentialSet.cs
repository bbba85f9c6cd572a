using System.Text.RegularExpressions;

namespace StreamMonitor.Dashboard.Security;

/// <summary>The users and API keys of a server: the content of its auth file.</summary>
public sealed partial record CredentialSet
{
    public static CredentialSet Empty { get; } = new();

    public IReadOnlyList<UserCredential> Users { get; init; } = [];
    public IReadOnlyList<ApiKeyCredential> Keys { get; init; } = [];

    /// <summary>No one can authenticate: on loopback the server is then open to its single local user.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Users.Count == 0 && Keys.Count == 0;

    public UserCredential? User(string name) => Users.FirstOrDefault(u => u.Name == name);

    public ApiKeyCredential? Key(string name) => Keys.FirstOrDefault(k => k.Name == name);

    /// <summary>
    /// The key whose hash <paramref name="presented"/> has, checking every stored key in constant time, so neither
    /// the time taken nor where it stops tells how close a guess came.
    /// </summary>
    public ApiKeyCredential? FindKey(string presented)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented));
        ApiKeyCredential? found = null;
        foreach (var key in Keys)
            if (Secrets.Matches(key.Sha256, hash)) found = key;
        return found;
    }

    /// <summary>The user named <paramref name="name"/> when <paramref name="password"/> is theirs.</summary>
    public UserCredential? CheckPassword(string name, string password)
    {
        var user = User(name);
        return Passwords.Verify(user?.PasswordHash, password) ? user : null;
    }

    public CredentialSet WithUser(UserCredential user) => this with { Users = Added(Users, user) };

    public CredentialSet WithKey(ApiKeyCredential key) => this with { Keys = Added(Keys, key) };

    public CredentialSet WithoutUser(string name) => this with { Users = Removed(Users, name, "user") };

    public CredentialSet WithoutKey(string name) => this with { Keys = Removed(Keys, name, "key") };

    /// <summary>
    /// Refuses a name that could not be told apart in a principal (<c>user:NAME</c>) or sent in HTTP Basic (no colon):
    /// a letter or digit, then up to 63 letters, digits, '.', '_' or '-'.
    /// </summary>
    public static void CheckName(string? name, string what)
    {
        if (name is null || !NamePattern().IsMatch(name))
            throw new ArgumentException($"{what} name '{name}': use a letter or digit, then up to 63 letters, digits, '.', '_' or '-'");
    }

    private static T[] Added<T>(IReadOnlyList<T> list, T entry) where T : Credential
    {
        CheckName(entry.Name, entry.Kind);
        if (list.Any(e => e.Name == entry.Name)) throw new InvalidOperationException($"{entry.Kind} '{entry.Name}' exists; remove it first to replace it");
        return [.. list, entry];
    }

    private static T[] Removed<T>(IReadOnlyList<T> list, string name, string kind) where T : Credential =>
        list.Any(e => e.Name == name) ? list.Where(e => e.Name != name).ToArray() : throw new KeyNotFoundException($"no {kind} '{name}'");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
