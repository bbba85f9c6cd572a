namespace StreamMonitor.Dashboard.Security;

/// <summary>The names of the <see cref="Role"/>s as they appear in the auth file, on the command line and in claims.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<Role> All { get; } = [Role.Viewer, Role.Operator, Role.Admin];

    public static string Name(this Role role) => role switch
    {
        Role.Viewer => Viewer,
        Role.Operator => Operator,
        Role.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    /// <summary>The role named <paramref name="name"/>; <paramref name="field"/> names where it came from in the error.</summary>
    public static Role Parse(string? name, string field)
    {
        foreach (var role in All)
            if (string.Equals(role.Name(), name, StringComparison.OrdinalIgnoreCase)) return role;
        throw new ArgumentException($"{field}: '{name}' is not a role ({string.Join(", ", All.Select(Name))})");
    }

    /// <summary>The role and every role it includes, highest first: an admin is also an operator and a viewer.</summary>
    public static IEnumerable<Role> Including(this Role role) => All.Where(r => r <= role).Reverse();
}
