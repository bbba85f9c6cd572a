using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using StreamMonitor.Cli.Tests.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser against a real <c>serve</c> following a live LAMMPS run: the page fills from the
/// run's history and grows as frames arrive, a viewer cannot stop the run (neither with the page nor with a forged
/// request), and an operator stops it from the page and sees LAMMPS end and the run's state change.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DashboardTests : IAsyncLifetime
{
    private const string ViewerPassword = "viewer-password-1";
    private const string OperatorPassword = "operator-password-1";

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
    public async Task A_live_run_grows_on_its_page_a_viewer_cannot_stop_it_and_an_operator_does()
    {
        var auth = _temp.File("auth.json");
        AuthClients.AddUser(auth, "vera", "viewer", ViewerPassword);
        AuthClients.AddUser(auth, "otto", "operator", OperatorPassword);
        using var admin = AuthClients.Bearer(AuthClients.AddKey(auth, "setup", "admin"));
        var dump = _temp.File("dump.lammpstrj");
        using var lammps = StartLammps(dump);
        using var server = await ServerProcess.StartAsync(admin, _temp.File("data"), auth: auth);
        try
        {
            var registered = await admin.PostAsJsonAsync(server.Api, new { id = "quench", trajectory = dump, stop = new { file = _temp.File("STOP") }, end_after_stop = 2 });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            await server.WaitForAsync("/quench", run => (long?)run["status"]!["frames_processed"] >= 3);

            // A viewer: the list shows the run, its page fills and grows, the stop button does nothing.
            var (viewerContext, viewer, viewerErrors) = await _browser.OpenAsync(server.Root);
            await viewer.GotoAsync("/");
            await viewer.Locator("#login").WaitForAsync();
            await viewer.FillAsync("input[name=user]", "vera");
            await viewer.FillAsync("input[name=password]", ViewerPassword);
            await viewer.ClickAsync("#login button[type=submit]");
            await viewer.Locator("#runs tr[data-run=quench]").WaitForAsync();
            await Assertions.Expect(viewer.Locator("#who")).ToContainTextAsync("vera (viewer)");
            await viewer.ClickAsync("#runs tr[data-run=quench] a");
            var nmax = viewer.Locator(".chart[data-chart=nmax]");
            int before = await DashboardBrowser.PointsAsync(nmax, atLeast: 3);
            int later = await DashboardBrowser.PointsAsync(nmax, atLeast: before + 3);
            Assert.True(later >= before + 3);
            await Assertions.Expect(viewer.Locator("#run-state")).ToHaveTextAsync("following");
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

            // A request the page did not make (no X-Requested-With) and one the viewer's role does not allow are refused.
            var forged = await viewerContext.APIRequest.PostAsync("/api/runs/quench/stop");
            Assert.Equal(403, forged.Status);
            var asViewer = await viewerContext.APIRequest.PostAsync("/api/runs/quench/stop",
                new APIRequestContextOptions { Headers = new Dictionary<string, string> { ["X-Requested-With"] = "XMLHttpRequest" } });
            Assert.Equal(403, asViewer.Status);
            Assert.False(File.Exists(_temp.File("STOP")));
            Assert.False(lammps.HasExited);

            // An operator stops it from the page: confirmation, outcome, LAMMPS ends, the state changes live on both pages.
            var (_, operatorPage, operatorErrors) = await _browser.OpenAsync(server.Root);
            await operatorPage.GotoAsync("/runs/quench");
            await operatorPage.FillAsync("input[name=user]", "otto");
            await operatorPage.FillAsync("input[name=password]", OperatorPassword);
            await operatorPage.ClickAsync("#login button[type=submit]");
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
            Assert.True(viewerErrors.Count == 0, string.Join("\n", viewerErrors));
            Assert.True(operatorErrors.Count == 0, string.Join("\n", operatorErrors));
        }
        finally
        {
            if (!lammps.HasExited) lammps.Kill();
        }
    }
}
