using Microsoft.AspNetCore.Authorization;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// Authorization policies by name, one per <see cref="Role"/>, for endpoints (<c>.RequireAuthorization(Policies.Operator)</c>)
/// and hubs (<c>[Authorize(Policies.Operator)]</c>). A principal carries a role claim for its role and every role below
/// it, so each policy is a plain role requirement.
/// </summary>
public static class Policies
{
    public const string Viewer = Roles.Viewer;
    public const string Operator = Roles.Operator;
    public const string Admin = Roles.Admin;

    internal static void Add(AuthorizationOptions options)
    {
        foreach (var role in Roles.All)
            options.AddPolicy(role.Name(), policy => policy.RequireAuthenticatedUser().RequireRole(role.Name()));
        // An endpoint that names no policy still needs a caller: a new endpoint is never open by omission.
        options.FallbackPolicy = options.GetPolicy(Viewer);
    }
}
