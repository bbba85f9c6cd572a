using Microsoft.AspNetCore.Http;

namespace StreamMonitor.Dashboard.Security;

/// <summary>The 401 and 403 answers, with the API's <c>{"error": "..."}</c> body, wherever a request is refused.</summary>
public static class AuthResponses
{
    public const string Realm = "streammonitor";

    /// <summary>
    /// 401 with a challenge for each way to authenticate. A request with <c>X-Requested-With</c> (the dashboard's
    /// scripts) gets no Basic challenge, which would make the browser pop up its own login dialog.
    /// </summary>
    public static Task Unauthorized(HttpContext context, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.Append("WWW-Authenticate", $"Bearer realm=\"{Realm}\"");
        if (!context.Request.Headers.ContainsKey(CrossSiteRequestGuard.Header))
            response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{Realm}\", charset=\"UTF-8\"");
        return response.WriteAsJsonAsync(new { error = message });
    }

    public static Task Forbidden(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(new { error = message });
    }
}
