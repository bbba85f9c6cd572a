using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Dashboard;

/// <summary>
/// The dashboard of a cluster: two <c>serve --redis</c> processes, a browser on the one that does not host a live run
/// sees every run and follows that run's page; when the hosting process is killed, the run resumes on the browser's
/// silo and the same page, never reloaded, goes on following it with every recorded frame shown exactly once.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DashboardClusterTests : IAsyncLifetime
{
    /// <summary>How long the page may take to fill what the stream did not bring (it fetches gaps over HTTP).</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Patience = new() { Timeout = 30_000 };

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await DashboardBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_page_on_one_silo_follows_a_run_of_the_other_and_keeps_following_it_when_the_run_moves()
    {
        string[] cluster = ServerProcess.ClusterArguments(RedisTestServer.UniqueName("dashboard"));
        var starting = new[] { "a", "b" }.Select(name =>
            ServerProcess.StartAsync(_http, _temp.File(name), environment: ServerProcess.FastFailureDetection, extra: cluster)).ToArray();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(s => s.IsCompletedSuccessfully)) (await started).Dispose();
            throw;
        }
        using var a = await starting[0];
        using var b = await starting[1];

        var finished = Lammps.RunQuench(_temp.Path, "finished.lammpstrj"); // a second run, wherever the cluster places it
        var dump = _temp.File("live.lammpstrj");
        using var lmp = LiveQuench.Start(_temp.Path, dump); // a frame every ~0.5 s until halted
        // Checkpoints every 5 frames: the frames after the last one are recorded again on the survivor, under the same numbers.
        var live = await _http.PostAsJsonAsync(a.Api, new { id = "live", trajectory = dump, checkpoint_every = 5 });
        Assert.Equal(HttpStatusCode.Created, live.StatusCode);
        var other = await _http.PostAsJsonAsync(b.Api, new { id = "other", trajectory = finished });
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        var hosted = await a.WaitForAsync("/live", r => r["status"]!["frames_processed"]!.GetValue<int>() >= 3);
        var (victim, survivor) = a.Hosts(hosted["status"]!) ? (a, b) : (b, a);
        Assert.True(victim.Hosts(hosted["status"]!), hosted["status"]!.ToJsonString());

        // The browser is on the silo that does not host the run: the list holds both runs, the page fills and grows.
        var (_, page, errors) = await _browser.OpenAsync(survivor.Root);
        await page.GotoAsync("/");
        await page.Locator("#runs tr[data-run=live]").WaitForAsync();
        await page.Locator("#runs tr[data-run=other]").WaitForAsync();
        await page.ClickAsync("#runs tr[data-run=live] a");
        var nmax = page.Locator(".chart[data-chart=nmax]");
        int before = await DashboardBrowser.PointsAsync(nmax, atLeast: 3);
        int beforeKill = await DashboardBrowser.PointsAsync(nmax, atLeast: before + 2);
        await Assertions.Expect(page.Locator("#run-state")).ToHaveTextAsync("following");
        await DashboardBrowser.ScreenshotAsync(page, "cluster-run-page-before-failover");

        victim.Process.Kill(entireProcessTree: true);
        await victim.Process.WaitForExitAsync();
        Assert.False(lmp.HasExited, $"lmp {lmp.State} before the silo was killed");

        // The run resumes on the page's silo; the page, not reloaded, goes on growing from where it was. The page only
        // fetches a gap when a later update arrives, so growth here means the stream reaches this silo's hub again.
        await DashboardBrowser.PointsAsync(nmax, atLeast: beforeKill + 3);
        await Assertions.Expect(page.Locator("#run-state")).ToHaveTextAsync("following", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        Assert.True(survivor.Hosts((await survivor.WaitForAsync("/live", _ => true))["status"]!));

        // Every frame recorded, across both silos, is on the chart exactly once.
        int frames = await lmp.HaltAsync();
        var done = await survivor.WaitForAsync("/live", r => r["status"]!["frames_processed"]!.GetValue<int>() >= frames);
        Assert.Equal(frames, done["status"]!["frames_processed"]!.GetValue<int>());
        await Assertions.Expect(nmax).ToHaveAttributeAsync("data-points", frames.ToString(CultureInfo.InvariantCulture), Patience);
        await Assertions.Expect(page.Locator("#run-progress")).ToHaveAttributeAsync("data-frame", (frames - 1).ToString(CultureInfo.InvariantCulture), Patience);
        await Assertions.Expect(page.Locator("#run-state")).ToHaveTextAsync("following");
        await DashboardBrowser.ScreenshotAsync(page, "cluster-run-page-after-failover");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        await survivor.StopAsync();
    }
}
