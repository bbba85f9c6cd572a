using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using StreamMonitor.Cli.Tests.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Dashboard;

/// <summary>
/// The page is open to anyone (it is the login page too); its live connection and the API are not, and neither answers
/// another site: no CORS grant, no WebSocket from a foreign origin.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DashboardSecurityTests : IDisposable
{
    private const string Password = "viewer-password-1";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_page_is_served_to_anyone_but_the_hub_needs_a_role_and_the_servers_own_origin()
    {
        var auth = _temp.File("auth.json");
        AuthClients.AddUser(auth, "vera", "viewer", Password);
        using var viewer = AuthClients.Basic("vera", Password);
        using var anonymous = AuthClients.Anonymous();
        using var server = await ServerProcess.StartAsync(viewer, _temp.File("data"), auth: auth);

        // The page, its deep links and its assets: no credentials needed, and a policy that keeps it to its own scripts.
        foreach (var path in new[] { "/", "/runs/some-run", "/alerts" })
        {
            var page = await anonymous.GetAsync(server.Root + path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("/assets/app.js", await page.Content.ReadAsStringAsync());
            Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        }
        var script = await anonymous.GetAsync(server.Root + "/assets/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(server.Root + "/assets/nothing.js")).StatusCode);

        // The hub: refused without credentials, open to a viewer, reading only.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(server.Root + "/hubs/runs/negotiate?negotiateVersion=1", null)).StatusCode);
        await using (var hub = new HubConnectionBuilder()
            .WithUrl(server.Root + "/hubs/runs", o => o.Headers["Authorization"] = viewer.DefaultRequestHeaders.Authorization!.ToString())
            .Build())
        {
            await hub.StartAsync();
            await hub.InvokeAsync("WatchRuns");
            await hub.InvokeAsync("Follow", "quench");
            var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("Follow", "../etc"));
            Assert.Contains("is not a run id", refused.Message);
            await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("Stop", "quench")); // there is no such method
        }

        // A WebSocket opened by a page of another origin is refused, even with credentials the browser would attach.
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Origin", "http://evil.example");
            socket.Options.SetRequestHeader("Authorization", viewer.DefaultRequestHeaders.Authorization!.ToString());
            socket.Options.CollectHttpResponseDetails = true;
            var uri = new Uri(server.Root.Replace("http://", "ws://") + "/hubs/runs");
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        }

        // No CORS: a preflight from another site gets no grant, so its page can neither add headers nor read answers.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, server.Api);
        preflight.Headers.Add("Origin", "http://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-requested-with");
        var grant = await anonymous.SendAsync(preflight);
        Assert.False(grant.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
