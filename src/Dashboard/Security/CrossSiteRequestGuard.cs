using System.Net;
using Microsoft.AspNetCore.Http;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// Keeps other web sites from acting through a visitor's browser, for the two kinds of caller a browser supplies by
/// itself. A request authenticated by the session cookie that changes something (not GET, HEAD, OPTIONS or TRACE)
/// must carry <see cref="Header"/>: a page on another site can only add a custom header after a CORS preflight, which
/// this server never grants (and the cookie is SameSite=Strict besides). An open server (no credentials) cannot ask
/// for that without breaking curl, so there a change from a browser must come from the server's own origin (the
/// browser's <c>Origin</c> header; curl and scripts send none), and on loopback every request must be addressed to a
/// loopback host, which a DNS-rebinding page's requests are not. A WebSocket (the dashboard's hub) must come from the
/// server's own origin whatever the caller.
/// </summary>
public sealed class CrossSiteRequestGuard(RequestDelegate next, SecurityOptions security)
{
    /// <summary>The header the dashboard (and SignalR's JavaScript client, which sends it by default) adds to its requests.</summary>
    public const string Header = "X-Requested-With";

    public Task InvokeAsync(HttpContext context) => Refusal(context) is { } reason ? AuthResponses.Forbidden(context, reason) : next(context);

    private string? Refusal(HttpContext context)
    {
        var request = context.Request;
        bool changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));
        // A WebSocket is not bound by CORS, and SameSite counts other ports of the same host as the same site: the
        // dashboard's live connection is opened by its own page, and only by that.
        if (IsWebSocketHandshake(request) && request.Headers.Origin.ToString() is { Length: > 0 } wsOrigin && !IsSameOrigin(wsOrigin, request))
            return $"a WebSocket from the web page of {wsOrigin} is refused (cross-site request protection)";
        switch (context.User.Method())
        {
            case Caller.Methods.Session when changes && !request.Headers.ContainsKey(Header):
                return $"a {request.Method} with the session cookie needs the {Header} header (cross-site request protection)";
            case Caller.Methods.Open when security.ListensOnLoopback && !IsLoopbackHost(request.Host.Host):
                return $"this server has no credentials and answers requests addressed to localhost only, not to '{request.Host.Host}'";
            case Caller.Methods.Open when changes && request.Headers.Origin.ToString() is { Length: > 0 } origin && !IsSameOrigin(origin, request):
                return $"a {request.Method} from the web page of {origin} is refused (cross-site request protection)";
            default:
                return null;
        }
    }

    // Read from the headers: the WebSocket feature is only added further down, where the hub is mapped.
    private static bool IsWebSocketHandshake(HttpRequest request) =>
        HttpMethods.IsConnect(request.Method)
        || request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
        && uri.Authority.Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
