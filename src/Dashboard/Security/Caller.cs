using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// Who sent a request, as endpoints and hubs see it: <c>context.Actor()</c> for events and the audit log,
/// <c>context.User.Role()</c> for the role. The principal is made here too, so its claims have one definition.
/// </summary>
public static class Caller
{
    /// <summary>How the caller authenticated: a <see cref="Methods"/> value, in the <see cref="ClaimTypes.AuthenticationMethod"/> claim.</summary>
    public static class Methods
    {
        public const string ApiKey = "api_key";
        public const string Password = "password";
        public const string Session = "session";

        /// <summary>No credentials configured: the single local user of an open loopback server.</summary>
        public const string Open = "open";
    }

    /// <summary>The principal of an open server (no credentials configured).</summary>
    public const string Local = "local";

    /// <summary>
    /// The caller of an authenticated request as an <see cref="Monitoring.Actor"/>: its principal (<c>user:alice</c>,
    /// <c>key:ci</c>, <c>local</c>) and the address the request came from (behind a reverse proxy, the proxy's).
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is not authenticated: the endpoint lacks <c>RequireAuthorization</c>.</exception>
    public static Actor Actor(this HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? new Actor(name, context.Connection.RemoteIpAddress?.ToString())
            : throw new InvalidOperationException($"{context.Request.Path}: no authenticated caller; the endpoint needs RequireAuthorization");

    /// <summary>The highest role <paramref name="user"/> holds; null when it is not authenticated.</summary>
    public static Role? Role(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? Roles.All.Where(r => user.IsInRole(r.Name())).Select(r => (Role?)r).LastOrDefault()
            : null;

    /// <summary>How <paramref name="user"/> authenticated (a <see cref="Methods"/> value); null when it did not.</summary>
    public static string? Method(this ClaimsPrincipal user) => user.FindFirst(ClaimTypes.AuthenticationMethod)?.Value;

    /// <summary>A principal named <paramref name="name"/> holding <paramref name="role"/> and the roles it includes.</summary>
    public static ClaimsPrincipal Principal(string name, Role role, string method, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.AuthenticationMethod, method) };
        claims.AddRange(role.Including().Select(r => new Claim(ClaimTypes.Role, r.Name())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
