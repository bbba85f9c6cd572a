using StreamMonitor.Core;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.Cli.Tests.Security;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Alerts;

/// <summary>Who may do what with alerts over HTTP, with keys made by the CLI: viewers read, operators acknowledge and snooze, admins edit rules.</summary>
[Trait("Category", "Slow")]
public sealed class AlertsApiRoleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Viewers_read_operators_acknowledge_and_snooze_admins_edit_rules_and_each_action_is_audited()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 100, dumpEvery: 100); // two frames
        var auth = _temp.File("auth.json");
        using var viewer = AuthClients.Bearer(AuthClients.AddKey(auth, "dash", "viewer"));
        using var operatorKey = AuthClients.Bearer(AuthClients.AddKey(auth, "ops", "operator"));
        using var admin = AuthClients.Bearer(AuthClients.AddKey(auth, "ci", "admin"));
        var options = new ServerOptions
        {
            Port = LoopbackPorts.Next(),
            SiloPort = LoopbackPorts.Next(),
            DataDirectory = _temp.File("data"),
            DataRoots = [_temp.Path],
            Security = new SecurityOptions { AuthFile = auth },
        };
        await using var server = await AlertsServer.StartAsync(options);
        string rules = server.Root + "/api/alerts/rules";
        var rule = new { severity = "warning", runs = "lj-*", when = new { quantity = "count", op = ">", value = 0 } };

        // Rules: an admin's to edit, anyone's to read; a bad rule is refused naming each field.
        foreach (var client in new[] { viewer, operatorKey })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync(rules + "/frames", rule)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync(rules + "/frames")).StatusCode);
        }
        var bad = await admin.PutAsJsonAsync(rules + "/bad", new { severity = "warning", when = new { quantity = "n_max", op = "=>", value = 5 }, webhooks = new[] { "lab" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        string error = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();
        Assert.Contains("when.op: '=>' is not an operator", error);
        Assert.Contains("webhooks[0]: no webhook 'lab' is configured on the server", error);
        var badSeverity = await admin.PutAsJsonAsync(rules + "/bad", new { severity = "dire", when = new { no_frame_for = 60 } });
        Assert.Equal("rule 'bad': severity: must be one of info, warning, critical", JsonNode.Parse(await badSeverity.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        var unknownField = await admin.PutAsJsonAsync(rules + "/bad", new { when = new { no_frame_for = 60, url = "http://elsewhere" } });
        Assert.Equal("rule 'bad': when.url: unknown field", JsonNode.Parse(await unknownField.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(rules + "/frames", rule)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(rules + "/doomed", rule)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(rules + "/doomed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(rules + "/doomed")).StatusCode);
        var listed = JsonNode.Parse(await viewer.GetStringAsync(rules))!.AsArray();
        ContractSchema.Check(Assert.Single(listed)!.ToJsonString(), "alert_rule");
        Assert.Equal("frames", listed[0]!["id"]!.GetValue<string>());

        // The run's first frame raises an alert.
        await server.RegisterAsync(admin, "lj-1", dump);
        var alert = (await server.WaitForAsync(viewer, "/api/alerts?state=open&run=lj-1", a => a.AsArray().Count == 1))[0]!;
        string id = alert["id"]!.GetValue<string>();
        Assert.StartsWith("frames/lj-1/", id);

        // Acknowledging is an operator's, once; the answer says who.
        string ack = $"{server.Root}/api/alerts/{id}/ack";
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync(ack, new { comment = "seen" })).StatusCode);
        var acked = await operatorKey.PostAsJsonAsync(ack, new { comment = "expected: the shot was decided" });
        string ackedJson = await acked.Content.ReadAsStringAsync();
        Assert.True(acked.IsSuccessStatusCode, ackedJson);
        ContractSchema.Check(ackedJson, "alert");
        var answer = JsonNode.Parse(ackedJson)!;
        Assert.Equal(("acknowledged", "key:ops", "expected: the shot was decided"),
            (answer["state"]!.GetValue<string>(), answer["acknowledged_by"]!.GetValue<string>(), answer["comment"]!.GetValue<string>()));
        var again = await operatorKey.PostAsJsonAsync(ack, new { comment = "again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        ContractSchema.Check(await again.Content.ReadAsStringAsync(), "error");
        Assert.Equal(HttpStatusCode.NotFound, (await operatorKey.PostAsJsonAsync($"{server.Root}/api/alerts/frames/lj-1/999/ack", new { })).StatusCode);
        Assert.Empty(JsonNode.Parse(await viewer.GetStringAsync(server.Root + "/api/alerts?state=open"))!.AsArray());

        // Snoozing too, by the escaped id as well; a bad duration is refused.
        string snooze = $"{server.Root}/api/alerts/{Uri.EscapeDataString(id)}/snooze";
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync(snooze, new { seconds = 600 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorKey.PostAsJsonAsync(snooze, new { seconds = -1 })).StatusCode);
        var snoozed = JsonNode.Parse(await (await operatorKey.PostAsJsonAsync(snooze, new { seconds = 600, comment = "quiet for a while" })).Content.ReadAsStringAsync())!;
        Assert.True(snoozed["snoozed_until"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(9));

        // The delivery log is an admin's.
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKey.GetAsync(server.Root + "/api/alerts/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(server.Root + "/api/alerts/deliveries")).StatusCode);

        var audit = JsonNode.Parse(await operatorKey.GetStringAsync(server.Root + "/api/audit?limit=100"))!.AsArray();
        foreach (var entry in audit) ContractSchema.Check(entry!.ToJsonString(), "audit_entry");
        Assert.Equal(["edit_rules key:ci frames", "edit_rules key:ci doomed", "edit_rules key:ci doomed", "acknowledge key:ops " + id, "snooze key:ops " + id],
            audit.Where(e => e!["action"]!.GetValue<string>() is "edit_rules" or "acknowledge" or "snooze").Select(e => $"{e!["action"]} {e["by"]} {e["target"]}"));
    }
}
