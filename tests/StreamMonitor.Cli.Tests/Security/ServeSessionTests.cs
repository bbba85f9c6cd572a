using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;
using static StreamMonitor.Cli.Tests.Security.ServeAuthTests;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary>The dashboard's login over real HTTP: the session cookie, what it allows, the cross-site guard, logout.</summary>
[Trait("Category", "Slow")]
public sealed class ServeSessionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ALoginCookieWorksAndAChangeWithItNeedsTheCustomHeader()
    {
        var auth = _temp.File("auth.json");
        var adminKey = AuthClients.AddKey(auth, "ci", "admin");
        AuthClients.AddUser(auth, "olga", "operator", "operator password");
        using var admin = AuthClients.Bearer(adminKey);
        using var server = await ServerProcess.StartAsync(admin, _temp.File("data"), auth: auth);
        var stopFile = _temp.File("STOP");
        Assert.Equal(HttpStatusCode.Created,
            (await admin.PostAsJsonAsync(server.Api, new { id = "r", trajectory = _temp.File("r.lammpstrj"), stop = new { file = stopFile } })).StatusCode);
        // A browser without a cookie jar of its own: the test sends the cookie by hand, exactly as received.
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var session = server.Root + "/api/session";

        var wrong = await browser.PostAsJsonAsync(session, new { user = "olga", password = "wrong password" });
        Assert.Equal("wrong user name or password", await Error(wrong, HttpStatusCode.Unauthorized));
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        var login = await browser.PostAsJsonAsync(session, new { user = "olga", password = "operator password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("streammonitor_session=sms_", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase); // plain HTTP here; the HTTPS test checks Secure
        var cookie = setCookie[..setCookie.IndexOf(';')];

        Assert.Equal("""{"name":"user:olga","role":"operator","method":"session"}""", await (await Send(browser, HttpMethod.Get, session, cookie)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Send(browser, HttpMethod.Get, server.Api + "/r", cookie)).StatusCode);

        // A POST carrying only the cookie, as a form on another site would send it, is refused and changes nothing.
        var forged = await Send(browser, HttpMethod.Post, server.Api + "/r/stop", cookie);
        Assert.Contains("needs the X-Requested-With header", await Error(forged, HttpStatusCode.Forbidden));
        Assert.False(File.Exists(stopFile));
        var stop = await Send(browser, HttpMethod.Post, server.Api + "/r/stop", cookie, ("X-Requested-With", "streammonitor"));
        Assert.Equal("user:olga", JsonNode.Parse(await stop.Content.ReadAsStringAsync())!["labels"]!["by"]!.GetValue<string>());
        Assert.True(File.Exists(stopFile));
        var register = await Send(browser, HttpMethod.Post, server.Api, cookie, ("X-Requested-With", "streammonitor"));
        Assert.Equal("user:olga has the operator role; this needs admin", await Error(register, HttpStatusCode.Forbidden));

        // Logging out ends the session on the server, not just in the browser; the dashboard's 401 has no Basic
        // challenge, which would pop up the browser's own login dialog.
        var logout = await Send(browser, HttpMethod.Delete, session, cookie, ("X-Requested-With", "streammonitor"));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains("streammonitor_session=;", Assert.Single(logout.Headers.GetValues("Set-Cookie")));
        var after = await Send(browser, HttpMethod.Get, session, cookie, ("X-Requested-With", "streammonitor"));
        Assert.Equal("the session has ended; log in again", await Error(after, HttpStatusCode.Unauthorized));
        Assert.DoesNotContain(after.Headers.WwwAuthenticate, c => c.Scheme == "Basic");
        await server.StopAsync();
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, string cookie, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Cookie", cookie);
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return client.SendAsync(request);
    }
}
