using StreamMonitor.Core;
using System.Net;
using System.Net.Http.Json;
using StreamMonitor.TestSupport;
using static StreamMonitor.Cli.Tests.Security.ServeAuthTests;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary>
/// Where a real <c>serve</c> listens and how open it is: a non-loopback address needs credentials or <c>--insecure</c>;
/// HTTPS with a certificate made by the test; an open loopback server refuses what a foreign web page sends it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ServeListenTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ANonLoopbackAddressStartsOnlyWithCredentialsOrInsecure()
    {
        var data = _temp.File("data");
        int port = LoopbackPorts.Next();
        var refused = StreamMonitorCli.Run("serve", "--listen", $"0.0.0.0:{port}", "--data", data,
            "--silo-port", LoopbackPorts.Next().ToString(), "--gateway-port", LoopbackPorts.Next().ToString());
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"streammonitor: --listen 0.0.0.0: not a loopback address, and {Path.Combine(data, "auth.json")} has no users or keys", refused.StandardError);
        Assert.Contains("--insecure", refused.StandardError);
        Assert.DoesNotContain("   at ", refused.StandardError);

        using var nobody = AuthClients.Anonymous();
        using (var open = await ServerProcess.StartAsync(nobody, data, listen: "0.0.0.0", extra: ["--insecure"]))
        {
            Assert.Contains("ANYONE who can reach it", await open.WaitForLogAsync("--insecure:"));
            Assert.Equal("""{"name":"local","role":"admin","method":"open"}""", await nobody.GetStringAsync(open.Root + "/api/session"));
            await open.StopAsync();
        }

        var key = AuthClients.AddKey(Path.Combine(data, "auth.json"), "ci", "viewer");
        using var withKey = AuthClients.Bearer(key);
        using var closed = await ServerProcess.StartAsync(withKey, data, listen: "0.0.0.0");
        Assert.Contains("credentials required (0 users, 1 keys", await closed.WaitForLogAsync("credentials required"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync(closed.Api)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync(closed.Api)).StatusCode);
        await closed.StopAsync();
    }

    [Fact]
    public async Task HttpsServesWithTheGivenCertificateAndMarksTheCookieSecure()
    {
        using var certificate = SelfSignedCertificate.Create();
        var (certificateFile, keyFile) = SelfSignedCertificate.WritePem(certificate, _temp.Path);
        var auth = _temp.File("auth.json");
        var key = AuthClients.AddKey(auth, "ci", "admin");
        AuthClients.AddUser(auth, "olga", "operator", "operator password");
        using var client = SelfSignedCertificate.TrustingOnly(certificate);
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);

        using var server = await ServerProcess.StartAsync(client, _temp.File("data"), auth: auth, scheme: "https",
            extra: ["--https-cert", certificateFile, "--https-key", keyFile]);
        Assert.StartsWith("https://127.0.0.1:", server.Api);
        Assert.Equal("""{"name":"key:ci","role":"admin","method":"api_key"}""", await client.GetStringAsync(server.Root + "/api/session"));

        // The certificate is the one given: a client that trusts only the system's authorities refuses it.
        using (var systemTrust = AuthClients.Anonymous())
            await Assert.ThrowsAsync<HttpRequestException>(() => systemTrust.GetAsync(server.Api));

        using var browser = SelfSignedCertificate.TrustingOnly(certificate);
        var login = await browser.PostAsJsonAsync(server.Root + "/api/session", new { user = "olga", password = "operator password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("; secure", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        await server.StopAsync();
    }

    [Fact]
    public async Task AnOpenLoopbackServerServesScriptsButNotForeignWebPages()
    {
        using var local = AuthClients.Anonymous();
        using var server = await ServerProcess.StartAsync(local, _temp.File("data"));
        Assert.Contains("every request acts as 'local' with the admin role", await server.WaitForLogAsync("open to the local user"));
        var stopFile = _temp.File("STOP");
        Assert.Equal(HttpStatusCode.Created,
            (await local.PostAsJsonAsync(server.Api, new { id = "r", trajectory = _temp.File("r.lammpstrj"), stop = new { file = stopFile } })).StatusCode);

        // A page on another site posting to the local server (the browser adds Origin), and a DNS-rebinding page
        // (its requests name its own host): both refused.
        var crossSite = new HttpRequestMessage(HttpMethod.Post, server.Api + "/r/stop");
        crossSite.Headers.Add("Origin", "http://evil.example");
        Assert.Contains("from the web page of http://evil.example", await Error(await local.SendAsync(crossSite), HttpStatusCode.Forbidden));
        var rebound = new HttpRequestMessage(HttpMethod.Get, server.Api);
        rebound.Headers.Host = "evil.example";
        Assert.Contains("addressed to localhost only", await Error(await local.SendAsync(rebound), HttpStatusCode.Forbidden));
        Assert.False(File.Exists(stopFile));

        // The server's own page, and curl, which sends no Origin, may.
        var sameSite = new HttpRequestMessage(HttpMethod.Post, server.Api + "/r/stop");
        sameSite.Headers.Add("Origin", server.Root);
        Assert.Equal(HttpStatusCode.OK, (await local.SendAsync(sameSite)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await local.PostAsync(server.Api + "/r/stop", null)).StatusCode);
        Assert.True(File.Exists(stopFile));
        await server.StopAsync();
    }
}
