using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using StreamMonitor.Cli.Tests.Alerts;
using StreamMonitor.Cli.Tests.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser against a real <c>serve</c> following a live LAMMPS run: the list shows the run as it
/// is registered and its nucleation alert as it is raised (and the webhook gets it once); the run's page fills from its
/// history and grows as frames arrive, and shows the largest cluster in 3D; a viewer cannot stop the run (neither with
/// the page nor with a forged request); an operator acknowledges the alert and stops the run from the page and sees
/// LAMMPS end and the run's state change.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DashboardTests : IAsyncLifetime
{
    private const string ViewerPassword = "viewer-password-1";
    private const string OperatorPassword = "operator-password-1";
    private const string AdminPassword = "admin-password-1";

    private readonly TempDirectory _temp = new();
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await DashboardBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>The shipped quench, long enough to outlast the test; it ends at its next frame once STOP exists (fix halt).</summary>
    private Process StartLammps(string dump) => ExternalProcess.Start("lmp",
        Lammps.QuenchArguments(dump, cells: 8, runSteps: 400_000, dumpEvery: 200, extraVariables: ["-var", "halt", _temp.File("STOP")]), _temp.Path);

    [Fact]
    public async Task A_live_run_shows_grows_and_alerts_on_the_page_a_viewer_cannot_stop_it_and_an_operator_does()
    {
        var auth = _temp.File("auth.json");
        AuthClients.AddUser(auth, "vera", "viewer", ViewerPassword);
        AuthClients.AddUser(auth, "otto", "operator", OperatorPassword);
        AuthClients.AddUser(auth, "ada", "admin", AdminPassword);
        using var admin = AuthClients.Bearer(AuthClients.AddKey(auth, "setup", "admin"));
        const string secret = "webhook-secret-of-the-lab";
        await File.WriteAllTextAsync(_temp.File("lab.secret"), secret);
        using var receiver = new WebhookReceiver(secret);
        using var server = await ServerProcess.StartAsync(admin, _temp.File("data"), auth: auth,
            extra: ["--webhook", $"lab={receiver.Url}", "--webhook-secret-file", $"lab={_temp.File("lab.secret")}"]);
        var rule = await admin.PutAsJsonAsync(server.Root + "/api/alerts/rules/nucleus",
            new { severity = "critical", runs = "quench", when = new { @event = "nucleation" }, webhooks = new[] { "lab" }, enabled = true });
        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);

        // A viewer logs in before the run exists: the list shows it when it is registered, and its alert as it is raised.
        var (viewerContext, viewer, viewerErrors) = await _browser.OpenAsync(server.Root);
        await viewer.GotoAsync("/");
        await viewer.Locator("#login").WaitForAsync();
        await viewer.FillAsync("input[name=user]", "vera");
        await viewer.FillAsync("input[name=password]", ViewerPassword);
        await viewer.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(viewer.Locator("#who")).ToContainTextAsync("vera (viewer)");
        await Assertions.Expect(viewer.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");

        var dump = _temp.File("dump.lammpstrj");
        using var lammps = StartLammps(dump);
        try
        {
            var registered = await admin.PostAsJsonAsync(server.Api, new { id = "quench", trajectory = dump, stop = new { file = _temp.File("STOP") }, end_after_stop = 2 });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            await Assertions.Expect(viewer.Locator("#runs tr[data-run=quench]")).ToHaveAttributeAsync("data-state", "following");
            await Assertions.Expect(viewer.Locator(".toast[data-alert^='nucleus/quench/']")).ToHaveCountAsync(1);
            await Assertions.Expect(viewer.Locator("#alert-count")).ToHaveTextAsync("1");
            await DashboardBrowser.ScreenshotAsync(viewer, "runs-list-alert");
            // Filter by text and state, sort by a column.
            var rows = viewer.Locator("#runs tbody tr");
            await viewer.FillAsync("input[name=filter]", "no-such-run");
            await Assertions.Expect(rows).ToHaveCountAsync(0);
            await viewer.FillAsync("input[name=filter]", "QUEN");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await viewer.SelectOptionAsync("select[name=state]", "stopped");
            await Assertions.Expect(rows).ToHaveCountAsync(0);
            await viewer.SelectOptionAsync("select[name=state]", "live");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await viewer.ClickAsync("#runs th[data-key=nmax]");
            await Assertions.Expect(viewer.Locator("#runs th[data-key=nmax]")).ToHaveAttributeAsync("data-sorted", "desc");

            // The run's page fills from its history and grows live.
            await viewer.ClickAsync("#runs tr[data-run=quench] a");
            var nmax = viewer.Locator(".chart[data-chart=nmax]");
            int before = await DashboardBrowser.PointsAsync(nmax, atLeast: 3);
            int later = await DashboardBrowser.PointsAsync(nmax, atLeast: before + 3);
            Assert.True(later >= before + 3);
            await Assertions.Expect(viewer.Locator("#run-state")).ToHaveTextAsync("following");
            await Assertions.Expect(viewer.Locator("#events li[data-kind=nucleation]")).ToHaveCountAsync(1);
            await Assertions.Expect(viewer.Locator("#stop")).ToBeDisabledAsync();

            // The 3D view of the largest cluster: every row of it that the structure holds is drawn (WebGL in the browser).
            await viewer.ClickAsync("#structure-show");
            try
            {
                await Assertions.Expect(viewer.Locator("#structure-info")).ToHaveAttributeAsync("data-frame", new System.Text.RegularExpressions.Regex("^[0-9]+$"));
            }
            catch (PlaywrightException)
            {
                await DashboardBrowser.ScreenshotAsync(viewer, "run-page-structure-failed");
                Assert.Fail($"the structure was not shown: {await viewer.Locator("#structure-info").TextContentAsync()}; {string.Join("; ", viewerErrors)}");
            }
            int cluster = int.Parse((await viewer.Locator("#structure-info").GetAttributeAsync("data-cluster"))!);
            long shown = long.Parse((await viewer.Locator("#structure-info").GetAttributeAsync("data-frame"))!);
            var frame = (await server.WaitForAsync("/quench/series?points=20000", _ => true))["updates"]!.AsArray()
                .Select(u => u!["summary"]!).Single(s => (long)s["frame"]! == shown);
            Assert.Equal(Math.Min((int)frame["n_max"]!, 4000), cluster);
            Assert.True(await viewer.Locator("#structure-viewer canvas").CountAsync() > 0);
            await DashboardBrowser.ScreenshotAsync(viewer, "run-page-viewer");

            // The downloads are the rows the charts plot (the history is not downsampled below 2000 rows). The chart is
            // counted before the download because it keeps growing while the file is fetched.
            int plotted = await DashboardBrowser.PointsAsync(nmax, atLeast: 1);
            var download = await viewer.RunAndWaitForDownloadAsync(() => viewer.ClickAsync("a:text('summaries (CSV)')"));
            Assert.Equal("quench-summaries.csv", download.SuggestedFilename);
            var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
            Assert.StartsWith("sequence,recorded_at,frame,step", csv[0]);
            Assert.True(csv.Length - 1 >= plotted, $"{csv.Length - 1} rows downloaded, {plotted} plotted before");

            // Compare: the run's n_max on the overlay chart, live.
            await viewer.GotoAsync("/compare?runs=quench");
            await DashboardBrowser.PointsAsync(viewer.Locator(".chart[data-chart=overlay]").First, atLeast: 3);
            await viewer.GotoAsync("/runs/quench"); // back, through a fresh load of its history
            await DashboardBrowser.PointsAsync(viewer.Locator(".chart[data-chart=nmax]"), atLeast: later);

            // A request the page did not make (no X-Requested-With) and one the viewer's role does not allow are refused.
            var forged = await viewerContext.APIRequest.PostAsync("/api/runs/quench/stop");
            Assert.Equal(403, forged.Status);
            var asViewer = await viewerContext.APIRequest.PostAsync("/api/runs/quench/stop",
                new APIRequestContextOptions { Headers = new Dictionary<string, string> { ["X-Requested-With"] = "XMLHttpRequest" } });
            Assert.Equal(403, asViewer.Status);
            Assert.False(File.Exists(_temp.File("STOP")));
            Assert.False(lammps.HasExited);

            // An operator acknowledges the alert with a comment, then stops the run from its page: confirmation, outcome,
            // LAMMPS ends, the state changes live on both pages.
            var (_, operatorPage, operatorErrors) = await _browser.OpenAsync(server.Root);
            await operatorPage.GotoAsync("/alerts");
            await operatorPage.FillAsync("input[name=user]", "otto");
            await operatorPage.FillAsync("input[name=password]", OperatorPassword);
            await operatorPage.ClickAsync("#login button[type=submit]");
            operatorPage.Dialog += async (_, dialog) => await dialog.AcceptAsync("seen it: a seeded slab grows");
            await operatorPage.ClickAsync("#alerts tr[data-alert^='nucleus/quench/'] button:text('Acknowledge')");
            await Assertions.Expect(operatorPage.Locator("#alerts tr[data-alert^='nucleus/quench/']")).ToHaveCountAsync(0); // the open list no longer holds it
            await operatorPage.SelectOptionAsync("#alerts-state", "all");
            await Assertions.Expect(operatorPage.Locator("#alerts tr[data-alert^='nucleus/quench/']")).ToContainTextAsync("acknowledged by user:otto: seen it: a seeded slab grows");

            Assert.Equal(0, await operatorPage.Locator("#rule-editor").CountAsync()); // editing rules is for admins

            // An admin edits a rule on the page; a bad one is refused with the field named.
            var (_, adminPage, adminErrors) = await _browser.OpenAsync(server.Root);
            await adminPage.GotoAsync("/alerts");
            await adminPage.FillAsync("input[name=user]", "ada");
            await adminPage.FillAsync("input[name=password]", AdminPassword);
            await adminPage.ClickAsync("#login button[type=submit]");
            await adminPage.FillAsync("#rule-editor", """{"id": "big", "severity": "warning", "runs": "*", "when": {"quantity": "n_max", "op": "=>", "value": 5000}}""");
            await adminPage.ClickAsync("#rule-save");
            await Assertions.Expect(adminPage.Locator(".rule-error")).ToContainTextAsync("when.op");
            await adminPage.FillAsync("#rule-editor", """{"id": "big", "severity": "warning", "runs": "*", "when": {"quantity": "n_max", "op": ">", "value": 5000, "for_frames": 3}}""");
            await adminPage.ClickAsync("#rule-save");
            await Assertions.Expect(adminPage.Locator("#rules tr[data-rule=big]")).ToContainTextAsync("warning");
            adminErrors.RemoveAll(e => e.Contains("status of 400") && e.Contains("/api/alerts/rules/big")); // the refused rule, as meant
            Assert.True(adminErrors.Count == 0, string.Join("\n", adminErrors));

            await operatorPage.GotoAsync("/runs/quench");
            await Assertions.Expect(operatorPage.Locator("#stop")).ToBeEnabledAsync();
            await operatorPage.ClickAsync("#stop");
            await operatorPage.ClickAsync("#confirm-stop-button");
            await Assertions.Expect(operatorPage.Locator("#stop-outcome")).ToHaveAttributeAsync("data-outcome", "succeeded");
            Assert.True(File.Exists(_temp.File("STOP")));
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await lammps.WaitForExitAsync(exit.Token);
            await Assertions.Expect(operatorPage.Locator("#run-state")).ToHaveTextAsync("stopped", new() { Timeout = 60_000 });
            await Assertions.Expect(viewer.Locator("#run-state")).ToHaveTextAsync("stopped", new() { Timeout = 30_000 });
            await Assertions.Expect(viewer.Locator("#events li[data-kind=stop]")).ToHaveCountAsync(1);
            await DashboardBrowser.ScreenshotAsync(operatorPage, "run-page-stopped");

            // The webhook got the alert once, signed, with a link to the run's page.
            var delivered = Assert.Single(receiver.Accepted);
            Assert.Equal(1, delivered.Value.Times);
            Assert.Equal(0, receiver.BadSignatures);
            Assert.EndsWith("/runs/quench", (string)delivered.Value.Payload["link"]!);
            Assert.True(viewerErrors.Count == 0, string.Join("\n", viewerErrors));
            Assert.True(operatorErrors.Count == 0, string.Join("\n", operatorErrors));
        }
        finally
        {
            if (!lammps.HasExited) lammps.Kill();
        }
    }
}
