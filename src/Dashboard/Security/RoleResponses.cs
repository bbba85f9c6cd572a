using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace StreamMonitor.Dashboard.Security;

/// <summary>Answers a caller who lacks the role an endpoint needs with a 403 that says which role they have and which it needs.</summary>
internal sealed class RoleResponses : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!result.Forbidden) return _default.HandleAsync(next, context, policy, result);
        var needed = result.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).FirstOrDefault();
        var who = context.User.Identity?.Name;
        return AuthResponses.Forbidden(context, needed is null
            ? $"{who} may not do this"
            : $"{who} has the {context.User.Role()?.Name()} role; this needs {needed}");
    }
}
