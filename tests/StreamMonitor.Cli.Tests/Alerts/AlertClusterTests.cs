using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;
using Xunit.Abstractions;

namespace StreamMonitor.Cli.Tests.Alerts;

/// <summary>
/// Alerts in a cluster of two <c>serve</c> processes sharing a real <c>redis-server</c>: a rule edited through one silo
/// is the other's too; live LAMMPS runs raise each alert once although both silos wake the engine; and when the silo
/// hosting the engine is killed while the runs are still being written, the engine resumes on the survivor from Redis,
/// with its rules, without raising what it raised before, and raises and delivers a new run's alert once.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AlertClusterTests(ITestOutputHelper output) : IDisposable
{
    private const string Secret = "the lab's webhook secret";
    private const string Rule = "nucleus";

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<LiveQuench> _simulations = [];
    private readonly List<ServerProcess> _servers = [];

    public void Dispose()
    {
        foreach (var server in _servers) server.Dispose();
        foreach (var lmp in _simulations) lmp.Dispose();
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_engine_is_one_per_cluster_raises_each_alert_once_and_resumes_on_the_survivor_when_its_silo_dies()
    {
        using var receiver = new WebhookReceiver(Secret);
        var (a, b) = await StartClusterAsync(receiver);

        // A rule put through one silo is the other's.
        await PutRuleAsync(a);
        var rules = JsonNode.Parse(await _http.GetStringAsync(b.Root + "/api/alerts/rules"))!.AsArray();
        Assert.Equal([(Rule, "critical", "nucleation")],
            rules.Select(r => (r!["id"]!.GetValue<string>(), r["severity"]!.GetValue<string>(), r["when"]!["event"]!.GetValue<string>())));

        // Two live runs, registered one through each silo: each alert is raised once, delivered once, listed once by both.
        await StartRunAsync(a, "q-1"); // a frame every ~0.3 s until halted
        await StartRunAsync(b, "q-2");
        await AlertsServer.UntilAsync(() => Delivered("q-1") is not null && Delivered("q-2") is not null,
            () => DiagnosisAsync("the runs' nucleation alerts were not delivered", a, b));
        string[] first = [Delivered("q-1")!, Delivered("q-2")!];
        foreach (var silo in new[] { a, b }) Assert.Equal(first.Order(), (await AlertIdsAsync(silo)).Order());

        // The engine's silo is the one that logged raising them; it is killed while both runs are still being written.
        var (victim, survivor) = a.Log.Contains($"alert {first[0]} ", StringComparison.Ordinal) ? (a, b) : (b, a);
        Assert.Contains($"alert {first[0]} ", victim.Log, StringComparison.Ordinal);
        Assert.DoesNotContain($"alert {first[0]} ", survivor.Log, StringComparison.Ordinal);
        victim.Process.Kill(entireProcessTree: true);
        await victim.Process.WaitForExitAsync();
        Assert.True(_simulations.All(lmp => !lmp.HasExited), "a simulation ended before the engine's silo was killed");

        // Nothing calls the engine here: the new run's updates (or its reminder) wake it on the survivor.
        var failover = Stopwatch.StartNew();
        await StartRunAsync(survivor, "q-3", maxFrames: 10);
        await AlertsServer.UntilAsync(() => Delivered("q-3") is not null,
            () => DiagnosisAsync("q-3's nucleation alert was not delivered after the failover", survivor));
        Assert.Contains($"alert {Delivered("q-3")} ", survivor.Log, StringComparison.Ordinal);
        output.WriteLine($"a new run's alert was delivered {failover.Elapsed.TotalSeconds:F1} s after the engine's silo was killed");

        // Once every run has ended and been evaluated to its end, the engine has replayed what the dead silo's engine had
        // not persisted as evaluated: the earlier alerts are not raised again.
        foreach (var lmp in _simulations) await lmp.HaltAsync();
        await survivor.WaitForAsync(survivor.Api + "?state=finished", r => r["total"]!.GetValue<int>() == 3, TimeSpan.FromMinutes(2));
        var listed = await AlertIdsAsync(survivor);
        Assert.Equal(first.Append(Delivered("q-3")!).Order(), listed.Order());
        Assert.Equal(3, receiver.Accepted.Count);
        Assert.All(receiver.Accepted.Values, accepted => Assert.Equal(1, accepted.Times));
        Assert.Equal((3, 0), (receiver.Requests, receiver.BadSignatures));
        var deliveries = JsonNode.Parse(await _http.GetStringAsync(survivor.Root + "/api/alerts/deliveries"))!.AsArray();
        Assert.Single(deliveries, d => d!["alert_id"]!.GetValue<string>() == Delivered("q-3"));

        // The rule is still there, read from Redis by the engine's new activation.
        rules = JsonNode.Parse(await _http.GetStringAsync(survivor.Root + "/api/alerts/rules"))!.AsArray();
        Assert.Equal([Rule], rules.Select(r => r!["id"]!.GetValue<string>()));
        await survivor.StopAsync();

        string? Delivered(string run) => DeliveredOf(receiver, run);
    }

    [Fact]
    public async Task A_delivery_left_in_the_outbox_by_the_engine_of_a_killed_silo_is_made_on_the_survivor_with_nothing_calling_the_engine()
    {
        using var receiver = new WebhookReceiver(Secret, failFirst: int.MaxValue);
        var (a, b) = await StartClusterAsync(receiver);
        await PutRuleAsync(b);
        await StartRunAsync(a, "q-1", maxFrames: 10);
        await AlertsServer.UntilAsync(() => receiver.Requests > 0, () => DiagnosisAsync("q-1's alert was never posted", a, b));
        string alert = (await AlertIdsAsync(a)).Single();

        // The run has ended, so no update wakes the engine after this; its delivery is refused until the engine's silo is gone.
        await _simulations[0].Process.WaitForExitAsync();
        await a.WaitForAsync("/q-1", r => r["status"]!["state"]!.GetValue<string>() == "finished");
        var (victim, survivor) = a.Log.Contains($"alert {alert} ", StringComparison.Ordinal) ? (a, b) : (b, a);
        Assert.Contains($"alert {alert} ", victim.Log, StringComparison.Ordinal);
        victim.Process.Kill(entireProcessTree: true);
        await victim.Process.WaitForExitAsync();
        Assert.Empty(receiver.Accepted);
        receiver.AcceptAll();
        var failover = Stopwatch.StartNew();

        await AlertsServer.UntilAsync(() => DeliveredOf(receiver, "q-1") is not null,
            () => DiagnosisAsync("the waiting delivery was not made after the failover", survivor));
        output.WriteLine($"the survivor made the waiting delivery {failover.Elapsed.TotalSeconds:F1} s after the engine's silo was killed");
        Assert.Equal(alert, DeliveredOf(receiver, "q-1"));
        Assert.Equal(1, receiver.Accepted[alert].Times);
        Assert.Equal([alert], await AlertIdsAsync(survivor)); // resumed, not raised again
        var deliveries = JsonNode.Parse(await _http.GetStringAsync(survivor.Root + "/api/alerts/deliveries"))!.AsArray();
        Assert.Equal("delivered", deliveries.First(d => d!["alert_id"]!.GetValue<string>() == alert)!["outcome"]!.GetValue<string>());
        await survivor.StopAsync();
    }

    /// <summary>
    /// Two <c>serve --redis</c> processes in a new cluster, both with the webhook <c>lab</c> posting to
    /// <paramref name="receiver"/>, detecting a dead silo within seconds and resuming its runs' reminders every 2 s.
    /// </summary>
    private async Task<(ServerProcess A, ServerProcess B)> StartClusterAsync(WebhookReceiver receiver)
    {
        var secretFile = _temp.File("lab.secret");
        await File.WriteAllTextAsync(secretFile, Secret);
        var environment = ServerProcess.FastFailureDetection;
        string[] arguments = [.. ServerProcess.ClusterArguments(RedisTestServer.UniqueName("alerts")),
            "--webhook", $"lab={receiver.Url}", "--webhook-secret-file", $"lab={secretFile}"];
        foreach (var name in new[] { "a", "b" }) _servers.Add(await ServerProcess.StartAsync(_http, _temp.File(name), environment: environment, extra: arguments));
        return (_servers[0], _servers[1]);
    }

    /// <summary>The rule <see cref="Rule"/>: a critical alert posted to <c>lab</c> for each nucleation in runs q-*.</summary>
    private async Task PutRuleAsync(ServerProcess server)
    {
        var put = await _http.PutAsJsonAsync(server.Root + $"/api/alerts/rules/{Rule}",
            new { severity = "critical", runs = "q-*", when = new { @event = "nucleation" }, webhooks = new[] { "lab" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    /// <summary>The id of the alert of <see cref="Rule"/> for <paramref name="run"/> that <paramref name="receiver"/> accepted, if any.</summary>
    private static string? DeliveredOf(WebhookReceiver receiver, string run) =>
        receiver.Accepted.Keys.SingleOrDefault(id => id.StartsWith($"{Rule}/{run}/", StringComparison.Ordinal));

    /// <summary>Starts the shipped quench (2048 atoms: nucleation comes within its first frames) and registers it through <paramref name="server"/>.</summary>
    private async Task StartRunAsync(ServerProcess server, string id, int maxFrames = 600)
    {
        var dump = _temp.File($"{id}.lammpstrj");
        _simulations.Add(LiveQuench.Start(_temp.Path, dump, cells: 8, dumpEvery: 200, maxFrames: maxFrames));
        // The run ends when no frame comes within end_after_idle of its registration: on a loaded machine (a silo just
        // killed, other engines running) lmp may take longer than that to write its first frame, so it is waited for.
        var started = Stopwatch.StartNew();
        while (!File.Exists(dump) || Lammps.FramesIn(dump) < 1)
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"lmp wrote no frame of {id} within 60 s");
            await Task.Delay(100);
        }
        // Until the cluster has declared a killed silo dead, calls to the grains it held fail (500); registering again
        // re-follows the same run, so the registration is simply retried then.
        var clock = Stopwatch.StartNew();
        HttpResponseMessage registered;
        while ((registered = await _http.PostAsJsonAsync(server.Api, new { id, trajectory = dump, end_after_idle = 2 })).StatusCode >= HttpStatusCode.InternalServerError
            && clock.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(500);
        Assert.True(registered.IsSuccessStatusCode, $"{registered.StatusCode}: {await registered.Content.ReadAsStringAsync()}\n{server.Log}");
    }

    /// <summary>What went wrong, with each run's state and events and each server's log, as the first of <paramref name="servers"/> has them.</summary>
    private async Task<string> DiagnosisAsync(string what, params ServerProcess[] servers)
    {
        var text = new System.Text.StringBuilder(what).AppendLine();
        text.AppendLine($"lmp: {string.Join(", ", _simulations.Select(lmp => lmp.State))}");
        try
        {
            var runs = JsonNode.Parse(await _http.GetStringAsync(servers[0].Api))!["runs"]!.AsArray();
            foreach (var run in runs)
            {
                var detail = JsonNode.Parse(await _http.GetStringAsync($"{servers[0].Api}/{run!["run_id"]!.GetValue<string>()}"))!;
                text.AppendLine($"{detail["status"]!.ToJsonString()}\nevents: {detail["events"]!.ToJsonString()}");
            }
        }
        catch (HttpRequestException e)
        {
            text.AppendLine($"the runs could not be read: {e.Message}");
        }
        foreach (var server in servers) text.AppendLine($"--- {server.Root}\n{server.Log}");
        return text.ToString();
    }

    /// <summary>Every alert the server lists, by id (a page holds them all here).</summary>
    private async Task<string[]> AlertIdsAsync(ServerProcess server)
    {
        var alerts = JsonNode.Parse(await _http.GetStringAsync(server.Root + "/api/alerts?state=all"))!.AsArray();
        return [.. alerts.Select(alert => alert!["id"]!.GetValue<string>())];
    }
}
