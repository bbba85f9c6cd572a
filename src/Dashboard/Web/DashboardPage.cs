using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace StreamMonitor.Dashboard.Web;

/// <summary>
/// Serves the web page, bundled at build time and embedded in this assembly (src/Dashboard/web, see the project file):
/// the page itself at <c>/</c> and at each of its own paths (a run's page, <c>/runs/{id}</c>, is a link alerts and
/// webhooks carry; a campaign's, <c>/campaigns/{id}</c>, is the one <c>campaign run</c> prints), its scripts and styles
/// under <c>/assets/</c>. These are open to anyone, like any login page: what they show comes from the API and the hub,
/// behind the roles.
/// </summary>
public static class DashboardPage
{
    private const string Prefix = "dashboard/";

    /// <summary>Paths of the page's own views, answered with the page (the script routes them).</summary>
    public static readonly string[] Views = ["/", "/runs/{**rest}", "/campaigns", "/campaigns/{**rest}", "/compare", "/alerts", "/login"];

    // The page loads only its own scripts and talks only to its own server; WebGL needs no more. uPlot and 3Dmol set
    // element styles from script, hence the inline styles.
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly Lazy<FrozenDictionary<string, Asset>> Assets = new(Load);

    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        foreach (var view in Views) app.MapGet(view, (HttpContext http) => Serve(http, "index.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/assets/{name}", (string name, HttpContext http) => Serve(http, name)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string name)
    {
        if (!Assets.Value.TryGetValue(name, out var asset) || name == "index.html" && http.Request.Path.StartsWithSegments("/assets"))
            return Results.NotFound(new { error = $"no such file: {name}" });
        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        // Revalidated each time (cheap, by ETag): a new build of the server is picked up at once.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = Policy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
        }
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardPage).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[Prefix.Length..];
            assets[name] = new Asset(content, ContentTypeOf(name), $"\"{Convert.ToHexString(SHA256.HashData(content), 0, 8)}\"");
        }
        if (!assets.ContainsKey("index.html"))
            throw new InvalidOperationException($"{assembly.GetName().Name} was built without its web page (src/Dashboard/web/dist): build it with Node.js and npm installed");
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".txt" => "text/plain; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
