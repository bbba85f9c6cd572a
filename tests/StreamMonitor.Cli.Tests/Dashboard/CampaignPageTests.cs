using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using StreamMonitor.Cli.Tests.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Dashboard;

/// <summary>
/// The campaign pages in a real browser against a real <c>serve</c> whose shots are real LAMMPS runs (<see cref="LjShots"/>):
/// the list and a campaign's page show each shot's outcome as it concludes, p_B per shooting point and the committor
/// chart; an operator cancels a campaign whose shots would run long, from its page, and sees it and its shots cancelled.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CampaignPageTests : IAsyncLifetime
{
    private const string LaunchName = "lj";
    private const string ViewerPassword = "viewer-password-1";
    private const string OperatorPassword = "operator-password-1";

    /// <summary>Shots commit within a few frames; the page is given time for LAMMPS on a busy machine.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Patience = new() { Timeout = 120_000 };

    private readonly TempDirectory _temp = new();
    private DashboardBrowser _browser = null!;
    private HttpClient _admin = null!;
    private string _auth = null!;

    public async Task InitializeAsync()
    {
        LjShots.Prepare(_temp.Path);
        _auth = _temp.File("auth.json");
        AuthClients.AddUser(_auth, "vera", "viewer", ViewerPassword);
        AuthClients.AddUser(_auth, "otto", "operator", OperatorPassword);
        _admin = AuthClients.Bearer(AuthClients.AddKey(_auth, "setup", "admin"));
        _browser = await DashboardBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _admin.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_pages_show_each_shot_s_outcome_as_it_concludes_and_p_B_per_point()
    {
        using var server = await StartServerAsync(LjShots.LaunchArguments(_temp.Path));
        await StartCampaignAsync(server, "lj-page", LjShots.Campaign(_temp.Path, "lj-page"));
        try
        {
            var (page, errors) = await LogInAsync(server, "vera", ViewerPassword);
            await page.ClickAsync("header nav a[data-view=campaigns]");
            await page.ClickAsync("#campaigns tr[data-campaign=lj-page] a");

            // Every shot's row shows its outcome: A from the liquid, B from the crystal.
            var shots = (await server.WaitForAsync(server.Root + "/api/campaigns/lj-page", _ => true))["shots"]!.AsArray();
            Assert.Equal(4, shots.Count);
            foreach (var shot in shots)
            {
                var expected = (string)shot!["point_id"]! == "liq" ? "a" : "b";
                await Assertions.Expect(page.Locator($"#shots tr[data-run='{(string)shot["run_id"]!}']")).ToHaveAttributeAsync("data-outcome", expected, Patience);
            }
            await Assertions.Expect(page.Locator("#campaign-phase")).ToHaveTextAsync("finished", new() { Timeout = 60_000 });

            // p_B per point (0 from the liquid, 1 from the crystal), both on the chart with their intervals.
            await Assertions.Expect(page.Locator("#points tr[data-point=liq]")).ToHaveAttributeAsync("data-pb", "0");
            await Assertions.Expect(page.Locator("#points tr[data-point=xtal]")).ToHaveAttributeAsync("data-pb", "1");
            await Assertions.Expect(page.Locator("#points tr[data-point=liq] [data-field=pb]")).ToHaveTextAsync("0.000");
            await Assertions.Expect(page.Locator(".chart[data-chart=pb]")).ToHaveAttributeAsync("data-points", "2");
            await Assertions.Expect(page.Locator("#pb-quantity")).ToHaveValueAsync("n_max");
            await Assertions.Expect(page.Locator("#campaign-saving")).ToContainTextAsync("fewer MD steps");
            // A viewer may look, not cancel.
            await Assertions.Expect(page.Locator("#cancel-campaign")).ToBeDisabledAsync();
            await DashboardBrowser.ScreenshotAsync(page, "campaign-page");

            // Another quantity redraws the chart against it.
            await page.SelectOptionAsync("#pb-quantity", "crystalline_fraction");
            await Assertions.Expect(page.Locator("#points thead")).ToContainTextAsync("crystalline_fraction");
            await Assertions.Expect(page.Locator(".chart[data-chart=pb]")).ToHaveAttributeAsync("data-points", "2");

            // The list shows the campaign finished, every shot concluded.
            await page.ClickAsync("header nav a[data-view=campaigns]");
            var row = page.Locator("#campaigns tr[data-campaign=lj-page]");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-phase", "finished");
            await Assertions.Expect(row.Locator("[data-field=progress]")).ToContainTextAsync("4 / 4");
            await DashboardBrowser.ScreenshotAsync(page, "campaigns-list");

            // A shot's link opens its run's page (the run id holds ':').
            await page.ClickAsync("#campaigns tr[data-campaign=lj-page] a");
            await page.ClickAsync("#shots tr[data-run='lj-page:liq:000'] a");
            await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("lj-page:liq:000");
            await Assertions.Expect(page.Locator("#events li[data-kind=commitment]")).ToHaveCountAsync(1);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await CancelQuietlyAsync(server, "lj-page");
        }
    }

    [Fact]
    public async Task An_operator_cancels_a_running_campaign_from_its_page_and_its_running_shots_are_cancelled()
    {
        // Basins no configuration is in (864 atoms): the shots neither commit nor end soon; a frame every 1000 steps.
        using var server = await StartServerAsync(LjShots.LaunchArguments(_temp.Path, 1.5, "-var", "every", "1000"));
        var campaign = LjShots.Campaign(_temp.Path, "lj-cancel", maxSteps: 200_000);
        campaign["basins"] = JsonNode.Parse("""[ { "name": "empty", "bounds": { "count": [null, 1] } }, { "name": "huge", "bounds": { "count": [5000, null] } } ]""");
        await StartCampaignAsync(server, "lj-cancel", campaign);
        try
        {
            var (page, errors) = await LogInAsync(server, "otto", OperatorPassword, "/campaigns/lj-cancel");
            var running = page.Locator("#shots tr[data-outcome=running]");
            await Assertions.Expect(running).ToHaveCountAsync(2, new() { Timeout = 60_000 });
            var runs = new List<string>();
            foreach (var shot in await running.AllAsync()) runs.Add((await shot.GetAttributeAsync("data-run"))!);

            await page.ClickAsync("#cancel-campaign");
            await page.ClickAsync("#confirm-cancel-button");
            await Assertions.Expect(page.Locator("#campaign-phase")).ToHaveTextAsync("cancelled");
            await Assertions.Expect(page.Locator("#cancel-outcome")).ToHaveAttributeAsync("data-outcome", "cancelled");
            foreach (var run in runs)
                await Assertions.Expect(page.Locator($"#shots tr[data-run='{run}']")).ToHaveAttributeAsync("data-outcome", "cancelled");
            await Assertions.Expect(page.Locator("#shots tr[data-outcome=cancelled]")).ToHaveCountAsync(4); // the pending ones too
            await Assertions.Expect(page.Locator("#cancel-campaign")).ToBeDisabledAsync();
            await DashboardBrowser.ScreenshotAsync(page, "campaign-cancelled");

            // The server stopped each running shot the way its run stops: the STOP file LAMMPS polls.
            var status = await server.WaitForAsync(server.Root + "/api/campaigns/lj-cancel", s => (string)s["phase"]! == "cancelled");
            foreach (var shot in status["shots"]!.AsArray().Where(s => runs.Contains((string)s!["run_id"]!)))
                Assert.True(File.Exists(Path.Combine((string)shot!["directory"]!, "STOP")), $"{shot["run_id"]} was not stopped");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await CancelQuietlyAsync(server, "lj-cancel");
        }
    }

    [Fact]
    public async Task The_committor_chart_draws_the_best_coordinate_over_points_of_mixed_outcome()
    {
        // Shots whose engine writes the liquid's or the crystal's frame (at step 400) as its trajectory, B with the
        // probability the point's file gives (in percent) by the shot's seed: p_B = ½(1 + tanh(-3.5 + 0.035 n_max)).
        Lammps.RunInput(_temp.Path, """
            units lj
            atom_style atomic
            pair_style lj/cut 2.5
            read_data liquid.data
            reset_timestep 400
            write_dump all custom liquid.dump id type x y z modify sort id
            clear
            units lj
            atom_style atomic
            pair_style lj/cut 2.5
            read_data crystal.data
            reset_timestep 400
            write_dump all custom crystal.dump id type x y z modify sort id
            """);
        var shot = _temp.File("shot.sh");
        await File.WriteAllTextAsync(shot, $"""
            #!/bin/sh
            if [ $(( $1 % 100 )) -lt $(cat "$2") ]; then cp {_temp.File("crystal.dump")} dump.lammpstrj; else cp {_temp.File("liquid.dump")} dump.lammpstrj; fi
            """);
        var points = new JsonArray();
        double[] radii = [3.1, 2.4, 3.6, 2.9, 2.2, 3.3];
        for (int i = 0; i < radii.Length; i++)
        {
            int nMax = 40 + 20 * i;
            var config = $"p{nMax}.percent";
            await File.WriteAllTextAsync(_temp.File(config), Math.Round(100 * 0.5 * (1 + Math.Tanh(-3.5 + 0.035 * nMax))).ToString(System.Globalization.CultureInfo.InvariantCulture));
            points.Add(new JsonObject { ["id"] = $"n{nMax}", ["config"] = config, ["values"] = new JsonObject { ["n_max"] = nMax, ["largest_rg"] = radii[i] } });
        }
        using var server = await StartServerAsync(new JsonArray("sh", shot, "{seed}", "{config}"));
        var campaign = LjShots.Campaign(_temp.Path, "lj-fit", shots: 8, concurrent: 8);
        campaign["points"] = points;
        await StartCampaignAsync(server, "lj-fit", campaign);
        try
        {
            var (page, errors) = await LogInAsync(server, "vera", ViewerPassword, "/campaigns/lj-fit");
            await Assertions.Expect(page.Locator("#campaign-phase")).ToHaveTextAsync("finished", new() { Timeout = 120_000 });
            var chart = page.Locator(".chart[data-chart=pb]");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "6");
            // n_max made the outcomes, so its coordinate ranks first and its committor is drawn over the points.
            await Assertions.Expect(page.Locator("#coordinates tbody tr").First).ToHaveAttributeAsync("data-quantities", "n_max");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-fit", "n_max");
            await Assertions.Expect(page.Locator("#campaign-saving")).ToContainTextAsync("7.5× fewer MD steps"); // 3000 steps each, stopped at 400
            await DashboardBrowser.ScreenshotAsync(page, "campaign-fit");
            // Against another quantity the points stay, the curve of a coordinate in n_max does not.
            await page.SelectOptionAsync("#pb-quantity", "largest_rg");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-fit", "");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "6");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await CancelQuietlyAsync(server, "lj-fit");
        }
    }

    private Task<ServerProcess> StartServerAsync(JsonArray launch) =>
        ServerProcess.StartAsync(_admin, _temp.File("data"), auth: _auth, extra: ["--launch-command", $"{LaunchName}={launch.ToJsonString()}"]);

    /// <summary>Starts the campaign through the API, naming the server's launch command (a body cannot carry one).</summary>
    private async Task StartCampaignAsync(ServerProcess server, string id, JsonObject campaign)
    {
        campaign["launch"] = new JsonObject { ["name"] = LaunchName };
        campaign["directory"] = id;
        var started = await _admin.PostAsJsonAsync(server.Root + "/api/campaigns", campaign);
        Assert.True(started.StatusCode == HttpStatusCode.Created, $"{started.StatusCode}: {await started.Content.ReadAsStringAsync()}\n{server.Log}");
    }

    private async Task<(IPage Page, List<string> Errors)> LogInAsync(ServerProcess server, string user, string password, string path = "/")
    {
        var (_, page, errors) = await _browser.OpenAsync(server.Root);
        await page.GotoAsync(path);
        await page.FillAsync("input[name=user]", user);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync(user);
        // The page goes on to where it was asked for once its live connection is up: only then is it the test's.
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        await page.WaitForURLAsync(server.Root + path);
        return (page, errors);
    }

    /// <summary>Leaves no LAMMPS shot running after a failed test: a finished or cancelled campaign ignores it.</summary>
    private async Task CancelQuietlyAsync(ServerProcess server, string id)
    {
        try
        {
            await _admin.PostAsync($"{server.Root}/api/campaigns/{id}/cancel", null);
        }
        catch (HttpRequestException)
        {
        }
    }
}
