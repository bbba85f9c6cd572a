using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using StreamMonitor.Dashboard.Security;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// The browser's login: <c>POST /api/session</c> with <c>{"user", "password"}</c> sets the session cookie (HttpOnly,
/// SameSite=Strict, Secure over HTTPS); <c>DELETE /api/session</c> ends it; <c>GET /api/session</c> says who the
/// caller is, their role and how they authenticated, for any caller (key, password, cookie or the open server's
/// <c>local</c>). Requests that change something with the cookie need the <c>X-Requested-With</c> header
/// (<see cref="CrossSiteRequestGuard"/>).
/// </summary>
public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session");
        session.MapGet("/", (HttpContext context) => Results.Ok(Describe(context.User.Identity!.Name!, context.User.Role()!.Value, context.User.Method())))
            .RequireAuthorization(Policies.Viewer);
        session.MapPost("/", async (Login login, HttpContext context, CredentialStore credentials, SessionStore sessions, ILoggerFactory loggers) =>
        {
            if (string.IsNullOrEmpty(login.User) || login.Password is null) return Results.BadRequest(new { error = "give \"user\" and \"password\"" });
            if (credentials.Current.CheckPassword(login.User, login.Password) is not { } user)
            {
                loggers.CreateLogger(typeof(SessionApi)).LogWarning("login as '{User}' from {Address}: wrong user name or password", login.User, context.Connection.RemoteIpAddress);
                await AuthResponses.Unauthorized(context, "wrong user name or password");
                return Results.Empty;
            }
            context.Response.Cookies.Append(SessionStore.CookieName, sessions.Start(user), Cookie(context, SessionStore.Lifetime));
            return Results.Ok(Describe(user.Principal, user.Role, Caller.Methods.Session));
        }).AllowAnonymous();
        session.MapDelete("/", (HttpContext context, SessionStore sessions) =>
        {
            if (context.Request.Cookies[SessionStore.CookieName] is { } token) sessions.End(token);
            context.Response.Cookies.Delete(SessionStore.CookieName, Cookie(context, TimeSpan.Zero));
            return Results.NoContent();
        }).AllowAnonymous();
        return app;
    }

    private static object Describe(string name, Role role, string? method) => new { name, role = role.Name(), method };

    private static CookieOptions Cookie(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };
}
