using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary>A real <c>serve</c> with users and keys made by the CLI: who may read, stop, register and read the audit log, over HTTP.</summary>
[Trait("Category", "Slow")]
public sealed class ServeAuthTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EachRoleMayDoWhatItIncludesAndNoMore()
    {
        var auth = _temp.File("auth.json");
        var viewerKey = AuthClients.AddKey(auth, "dash", "viewer");
        var adminKey = AuthClients.AddKey(auth, "ci", "admin");
        AuthClients.AddUser(auth, "olga", "operator", "operator password");
        var stored = File.ReadAllText(auth);
        Assert.DoesNotContain(viewerKey, stored);
        Assert.DoesNotContain(adminKey, stored);
        Assert.DoesNotContain("operator password", stored);

        using var admin = AuthClients.Bearer(adminKey);
        using var viewer = AuthClients.ApiKeyHeader(viewerKey);
        using var operatorUser = AuthClients.Basic("olga", "operator password");
        using var nobody = AuthClients.Anonymous();
        using var server = await ServerProcess.StartAsync(admin, _temp.File("data"), auth: auth);
        var stopFile = _temp.File("STOP");
        var run = new { id = "r", trajectory = _temp.File("r.lammpstrj"), stop = new { file = stopFile } };

        // No credentials: 401 with a challenge for each way in, whatever the request.
        var unauthenticated = await nobody.GetAsync(server.Api);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Contains(unauthenticated.Headers.WwwAuthenticate, c => c.Scheme == "Bearer");
        Assert.Contains(unauthenticated.Headers.WwwAuthenticate, c => c.Scheme == "Basic");
        Assert.Contains("authentication required", await Error(unauthenticated));
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsJsonAsync(server.Api, run)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsync(server.Api + "/r/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.DeleteAsync(server.Api + "/r")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync(server.Root + "/api/audit")).StatusCode);

        // Registering is an admin's.
        var byViewer = await viewer.PostAsJsonAsync(server.Api, run);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal("key:dash has the viewer role; this needs admin", await Error(byViewer));
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorUser.PostAsJsonAsync(server.Api, run)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync(server.Api, run)).StatusCode);

        // Reading is everyone's who has a role.
        var listed = JsonNode.Parse(await viewer.GetStringAsync(server.Api))!["runs"]!.AsArray();
        Assert.Equal("r", Assert.Single(listed)!["run_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(server.Api + "/r")).StatusCode);

        // Stopping is an operator's, and the stop names who asked.
        var stopByViewer = await viewer.PostAsync(server.Api + "/r/stop", null);
        Assert.Equal(HttpStatusCode.Forbidden, stopByViewer.StatusCode);
        Assert.Equal("key:dash has the viewer role; this needs operator", await Error(stopByViewer));
        Assert.False(File.Exists(stopFile));
        var stop = JsonNode.Parse(await (await operatorUser.PostAsync(server.Api + "/r/stop", null)).Content.ReadAsStringAsync())!;
        Assert.Equal("user:olga", stop["labels"]!["by"]!.GetValue<string>());
        Assert.True(File.Exists(stopFile));

        // Removing is an admin's.
        foreach (var client in new[] { viewer, operatorUser })
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync(server.Api + "/r")).StatusCode);
        Assert.Single(JsonNode.Parse(await viewer.GetStringAsync(server.Api))!["runs"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync(server.Api + "/r")).StatusCode);
        Assert.Empty(JsonNode.Parse(await viewer.GetStringAsync(server.Api))!["runs"]!.AsArray());

        // The audit log is for operators, and names who did what from where.
        Assert.Equal("key:dash has the viewer role; this needs operator", await Error(await viewer.GetAsync(server.Root + "/api/audit")));
        var audit = JsonNode.Parse(await operatorUser.GetStringAsync(server.Root + "/api/audit?after=0&limit=10"))!.AsArray();
        foreach (var entry in audit) ContractSchema.Check(entry!.ToJsonString(), "audit_entry");
        Assert.Equal(["register key:ci", "stop user:olga", "remove key:ci"],
            audit.Select(e => $"{e!["action"]} {e["by"]}"));
        Assert.All(audit, e => Assert.Equal("127.0.0.1", e!["from"]!.GetValue<string>()));
        Assert.All(audit, e => Assert.Equal("r", e!["target"]!.GetValue<string>()));
        var badLimit = await admin.GetAsync(server.Root + "/api/audit?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("limit must be 1..1000", await Error(badLimit));

        // Who am I, for each kind of credential.
        Assert.Equal("""{"name":"key:dash","role":"viewer","method":"api_key"}""", await viewer.GetStringAsync(server.Root + "/api/session"));
        Assert.Equal("""{"name":"user:olga","role":"operator","method":"password"}""", await operatorUser.GetStringAsync(server.Root + "/api/session"));

        // Wrong credentials are 401, each with its reason.
        using (var wrongKey = AuthClients.Bearer(adminKey[..^1] + (adminKey[^1] == 'x' ? 'y' : 'x')))
            Assert.Equal("unknown API key", await Error(await wrongKey.GetAsync(server.Api), HttpStatusCode.Unauthorized));
        using (var wrongPassword = AuthClients.Basic("olga", "operator passwore"))
            Assert.Equal("wrong user name or password", await Error(await wrongPassword.GetAsync(server.Api), HttpStatusCode.Unauthorized));
        using (var noSuchUser = AuthClients.Basic("nobody", "operator password"))
            Assert.Equal("wrong user name or password", await Error(await noSuchUser.GetAsync(server.Api), HttpStatusCode.Unauthorized));

        // A key removed with the CLI stops working at once, without a restart; the others go on.
        Assert.Equal(0, StreamMonitorCli.Run("keys", "rm", "dash", "--auth", auth).ExitCode);
        Assert.Equal("unknown API key", await Error(await viewer.GetAsync(server.Api), HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(server.Api)).StatusCode);
        await server.StopAsync();
    }

    internal static async Task<string> Error(HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        if (expected is { } status) Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(body)?["error"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"no error in {(int)response.StatusCode} {body}");
    }
}
