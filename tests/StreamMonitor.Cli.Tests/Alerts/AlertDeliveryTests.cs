using StreamMonitor.Core;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Grains.Storage;
using StreamMonitor.Monitoring.Alerts;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Alerts;

/// <summary>
/// Alerts from real LAMMPS runs on an embedded server: posted to a webhook that fails at first, signed, delivered once;
/// and raised once per occurrence across a restart that lost the engine's progress, so every update is evaluated again.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AlertDeliveryTests : IDisposable
{
    private const string Secret = "a webhook secret of some length";

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task An_alert_is_posted_signed_retried_until_accepted_and_raised_once_per_occurrence_across_a_restart()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 200, dumpEvery: 100); // three frames
        using var receiver = new WebhookReceiver(Secret, failFirst: 2);
        var options = new ServerOptions
        {
            Port = LoopbackPorts.Next(),
            SiloPort = LoopbackPorts.Next(),
            DataDirectory = _temp.File("data"),
            DataRoots = [_temp.Path],
            Webhooks = [new WebhookTarget("lab", receiver.Url, Secret)],
            PublicUrl = "https://md.example.org",
        };
        const string rule = """{"severity":"critical","runs":"lj-*","when":{"quantity":"count","op":">","value":0,"for_frames":2},"webhooks":["lab"]}""";

        await using (var server = await AlertsServer.StartAsync(options))
        {
            var put = await _http.PutAsync(server.Root + "/api/alerts/rules/two-frames", new StringContent(rule, System.Text.Encoding.UTF8, "application/json"));
            string saved = await put.Content.ReadAsStringAsync();
            Assert.True(put.IsSuccessStatusCode, saved);
            ContractSchema.Check(saved, "alert_rule");
            await server.RegisterAsync(_http, "lj-1", dump);
            await server.RegisterAsync(_http, "water-1", dump); // not watched by the rule

            var alerts = (await server.WaitForAsync(_http, "/api/alerts", a => a.AsArray().Count > 0)).AsArray();
            var alert = Assert.Single(alerts)!;
            ContractSchema.Check(alert.ToJsonString(), "alert");
            // The second frame (sequence 4, after the registration, following and the first frame) completes the streak.
            Assert.Equal("two-frames/lj-1/4", alert["id"]!.GetValue<string>());
            Assert.Equal(("open", "critical", 1L), (alert["state"]!.GetValue<string>(), alert["severity"]!.GetValue<string>(), alert["frame"]!.GetValue<long>()));

            // Two 500s, then accepted: the log shows three attempts of one delivery, the receiver has it once, signed.
            var log = (await server.WaitForAsync(_http, "/api/alerts/deliveries", d => d.AsArray().Any(e => e!["outcome"]!.GetValue<string>() == "delivered"))).AsArray();
            foreach (var entry in log) ContractSchema.Check(entry!.ToJsonString(), "webhook_delivery");
            Assert.Equal([(3, 200, "delivered"), (2, 500, "retrying"), (1, 500, "retrying")],
                log.Select(e => (e!["attempt"]!.GetValue<int>(), e["status_code"]!.GetValue<int>(), e["outcome"]!.GetValue<string>())));
            Assert.All(log, e => Assert.Equal("two-frames/lj-1/4", e!["alert_id"]!.GetValue<string>()));
            Assert.Equal((3, 0), (receiver.Requests, receiver.BadSignatures));
            var (payload, times) = Assert.Single(receiver.Accepted).Value;
            Assert.Equal(1, times);
            ContractSchema.Check(payload.ToJsonString(), "webhook_payload");
            Assert.Equal("https://md.example.org/runs/lj-1", payload["link"]!.GetValue<string>());
            Assert.Equal(alert["raised_at"]!.ToJsonString(), payload["raised_at"]!.ToJsonString());

            await server.WaitForAsync(_http, "/api/runs?state=finished", r => r["total"]!.GetValue<int>() == 2);
        }

        // A crash that lost the engine's progress: after the restart it evaluates both runs' updates from the start.
        SqliteConnection.ClearAllPools();
        await using (var db = new SqliteConnection($"Data Source={options.DatabasePath}"))
        {
            await db.OpenAsync();
            var delete = db.CreateCommand();
            delete.CommandText = $"DELETE FROM {SqliteGrainStorage.TableName} WHERE StateName LIKE '%alert-progress%'";
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }
        SqliteConnection.ClearAllPools();

        await using (var server = await AlertsServer.StartAsync(options))
        {
            var second = _temp.File("second.lammpstrj");
            File.Copy(dump, second);
            await server.RegisterAsync(_http, "lj-2", second);
            await AlertsServer.UntilAsync(() => receiver.Accepted.ContainsKey("two-frames/lj-2/4"), "lj-2's alert was not delivered");
            await server.WaitForAsync(_http, "/api/runs?state=finished", r => r["total"]!.GetValue<int>() == 3);
            // By now the engine has evaluated lj-1's updates again (it does so first thing after it starts).
            var alerts = (await server.WaitForAsync(_http, "/api/alerts?state=all", a => a.AsArray().Count >= 2)).AsArray();
            Assert.Equal(["two-frames/lj-2/4", "two-frames/lj-1/4"], alerts.Select(a => a!["id"]!.GetValue<string>()));
            Assert.Equal(2, receiver.Accepted.Count);
            Assert.All(receiver.Accepted.Values, accepted => Assert.Equal(1, accepted.Times));
            var deliveries = JsonNode.Parse(await _http.GetStringAsync(server.Root + "/api/alerts/deliveries"))!.AsArray();
            Assert.Single(deliveries, d => d!["alert_id"]!.GetValue<string>() == "two-frames/lj-2/4");
        }
    }
}
