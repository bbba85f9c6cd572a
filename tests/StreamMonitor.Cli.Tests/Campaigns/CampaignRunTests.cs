using StreamMonitor.Core;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Campaigns;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Campaigns;

/// <summary>
/// Shooting campaigns with the real <c>lmp</c>: shots that commit are stopped at once and recorded with their basin, a
/// restarted server carries on watching the shots it left running, a shot whose engine dies is launched again, and shots
/// handed to a batch system are followed by their job ids.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CampaignRunTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private const int UndecidedSteps = 20_000;

    private readonly TempDirectory _temp = new();

    public CampaignRunTests() => LjShots.Prepare(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private string Write(JsonObject campaign, string name = "campaign.json")
    {
        var path = _temp.File(name);
        File.WriteAllText(path, campaign.ToJsonString());
        return path;
    }

    [Fact]
    public void Campaign_run_stops_every_committed_shot_and_records_its_basin_and_analyse_reads_the_outcomes()
    {
        // 200,000 steps would take these 864 atoms minutes; a stopped shot ends after the few it ran while the monitor
        // saw its first frame and wrote STOP (how many depends on the machine's load, so only "short of the end" is asserted).
        var file = Write(LjShots.Campaign(_temp.Path, shots: 2, maxSteps: 200_000));
        var run = StreamMonitorCli.Run("campaign", "run", file, "--port", LoopbackPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        Assert.Contains("campaign lj-test: finished; 4/4 shots: A 2, B 2", run.StandardOutput);

        var record = CampaignRecordFile.Read(_temp.File("shots"));
        Assert.Equal(CampaignPhase.Finished, record.Phase);
        foreach (var shot in record.Shots)
        {
            Assert.Equal(shot.PointId == "liq" ? ShotOutcome.A : ShotOutcome.B, shot.Outcome);
            Assert.Equal(0, shot.CommitFrame); // inside its basin from the first frame
            Assert.InRange(shot.StepsRun!.Value, 0, 199_999);
            Assert.True(File.Exists(Path.Combine(shot.Directory, ShotPlaceholders.StopFileName)), $"{shot.RunId} was not asked to stop");
            Assert.Contains("Fix halt condition", File.ReadAllText(Path.Combine(shot.Directory, "log.lammps")));
        }
        Assert.Equal(4, record.Shots.Select(s => s.Seed).Distinct().Count());
        Assert.Equal(record.Shots.Sum(s => s.StepsRun!.Value), record.Counts.StepsRun);
        Assert.Equal(4 * 200_000, record.Counts.StepsAtFullLength);

        var status = StreamMonitorCli.Run("campaign", "status", _temp.File("shots"), "--json");
        Assert.Equal(0, status.ExitCode);
        ContractSchema.Check(status.StandardOutput, "campaign_status");
        var analyse = StreamMonitorCli.Run("campaign", "analyse", _temp.File("shots"), "--json");
        Assert.True(analyse.ExitCode == 0, analyse.StandardError);
        ContractSchema.Check(analyse.StandardOutput, "campaign_analysis");
        var points = JsonNode.Parse(analyse.StandardOutput)!["points"]!.AsArray();
        Assert.Equal(0.0, points.Single(p => (string)p!["point_id"]! == "liq")!["p_b"]!.GetValue<double>());
        Assert.Equal(1.0, points.Single(p => (string)p!["point_id"]! == "xtal")!["p_b"]!.GetValue<double>());
        var text = StreamMonitorCli.Run("campaign", "analyse", _temp.File("shots"));
        Assert.Contains("xtal", text.StandardOutput);
        Assert.Contains("MD steps run", text.StandardOutput);
    }

    [Fact]
    public void The_example_nucleation_campaign_runs_in_a_reduced_form_on_its_real_shot_input()
    {
        // examples/lj-nucleation as shipped (NPT at T* = 0.5, 2048 atoms), copied aside with fewer shots and steps.
        var example = Path.Combine(RepositoryPaths.Root, "examples", "lj-nucleation");
        var copy = _temp.File("example");
        Directory.CreateDirectory(Path.Combine(copy, "points"));
        foreach (var file in Directory.GetFiles(example)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        foreach (var file in Directory.GetFiles(Path.Combine(example, "points"))) File.Copy(file, Path.Combine(copy, "points", Path.GetFileName(file)));
        var campaign = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "campaign.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        campaign["shots_per_point"] = 2;
        campaign["max_steps"] = 600;
        File.WriteAllText(Path.Combine(copy, "campaign.json"), campaign.ToJsonString());

        var run = StreamMonitorCli.Run("campaign", "run", Path.Combine(copy, "campaign.json"), "--port", "0");
        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        var record = CampaignRecordFile.Read(Path.Combine(copy, "shots"));
        Assert.Equal(6, record.Counts.Concluded);
        Assert.All(record.Shots.Where(s => s.PointId == "liquid"), s => Assert.Equal(ShotOutcome.A, s.Outcome));
        Assert.All(record.Shots.Where(s => s.PointId == "crystal"), s => Assert.Equal(ShotOutcome.B, s.Outcome));
        // From the top of the barrier 600 steps decide little: whatever they did, it was recorded and bounded.
        Assert.All(record.Shots, s => Assert.InRange(s.StepsRun!.Value, 0, 600));
        Assert.All(record.Shots.Where(s => s.Outcome == ShotOutcome.Undecided), s => Assert.Equal(600, s.StepsRun));
        Assert.True(record.Counts.StepsRun < record.Counts.StepsAtFullLength);
    }

    [Fact]
    public async Task An_adaptive_campaign_shoots_next_where_a_network_trained_on_the_outcomes_so_far_puts_p_B_nearest_one_half()
    {
        // The points' n_max are made up (the shots start from the two test configurations: the liquid below n_max 400,
        // the crystal above), so a network trained on the first round puts ½ between 200 and 600: of the candidates it
        // must take the two in the middle, not the ones near either basin.
        var campaign = LjShots.Campaign(_temp.Path, shots: 2, concurrent: 2);
        campaign["points"] = JsonNode.Parse("""
            [ { "id": "l3",   "config": "liquid.data",  "values": { "n_max": 3 } },   { "id": "l100", "config": "liquid.data",  "values": { "n_max": 100 } },
              { "id": "l200", "config": "liquid.data",  "values": { "n_max": 200 } }, { "id": "c600", "config": "crystal.data", "values": { "n_max": 600 } },
              { "id": "c750", "config": "crystal.data", "values": { "n_max": 750 } }, { "id": "c864", "config": "crystal.data", "values": { "n_max": 864 } } ]
            """);
        campaign["adaptive"] = JsonNode.Parse("""
            { "points": 2, "shots_per_point": 1, "candidates": [
              { "id": "low",   "config": "liquid.data",  "values": { "n_max": 20 } },
              { "id": "mid-a", "config": "liquid.data",  "values": { "n_max": 420 } },
              { "id": "mid-b", "config": "crystal.data", "values": { "n_max": 450 } },
              { "id": "high",  "config": "crystal.data", "values": { "n_max": 850 } } ] }
            """);
        var (definition, launch) = CampaignFile.Load(Write(campaign));
        Assert.Equal(14, definition.TotalShots);
        await using var server = await StartServerAsync(launch!);
        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(definition.Id);
        await grain.Start(definition, new Actor("test"));
        var done = await WaitAsync(grain, s => s.Phase == CampaignPhase.Finished ? s : null);

        Assert.True(done.Selections.Select(s => s.PointId).Order().SequenceEqual(["mid-a", "mid-b"]), JsonSerializer.Serialize(done.Selections, ContractJson.Options));
        Assert.All(done.Selections, s => Assert.InRange(s.PredictedPB, 0.05, 0.95));
        Assert.Equal(2, done.AddedPoints.Count);
        Assert.Equal(14, done.Counts.Concluded);
        Assert.Equal(ShotOutcome.A, done.Shots.Single(s => s.PointId == "mid-a").Outcome);
        Assert.Equal(ShotOutcome.B, done.Shots.Single(s => s.PointId == "mid-b").Outcome);
        // The analysis covers the added points too.
        var analysis = CampaignAnalysis.Of(done);
        Assert.Equal(8, analysis.Points.Count);
        ContractSchema.Check(JsonSerializer.Serialize(done, ContractJson.Options), "campaign_status");
    }

    [Fact]
    public async Task A_restarted_server_watches_the_shots_it_left_running_instead_of_launching_them_again()
    {
        var (definition, launch) = CampaignFile.Load(Write(Undecided(shots: 2)));

        int pid;
        await using (var first = await StartServerAsync(launch!))
        {
            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(definition.Id);
            await grain.Start(definition, new Actor("test"));
            var running = await WaitAsync(grain, s => s.Shots.FirstOrDefault(x => x.Pid is not null && x.Outcome == ShotOutcome.Running));
            pid = running.Pid!.Value;
            await first.StopAsync();
        }
        Assert.True(ProcessIdentity.StartTimeOf(pid) is not null, "the shot's engine died with the server");

        await using var second = await StartServerAsync(launch!);
        var resumed = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(definition.Id);
        var done = await WaitAsync(resumed, s => s.Phase == CampaignPhase.Finished ? s : null);
        Assert.Equal(2, done.Shots.Count); // no second attempt: the running shot was watched to its end
        Assert.All(done.Shots, s => Assert.Equal(ShotOutcome.Undecided, s.Outcome));
        Assert.All(done.Shots, s => Assert.Equal(UndecidedSteps, s.StepsRun));
        Assert.Equal(pid, done.Shots.Single(s => s.Shot == 0).Pid);
    }

    [Fact]
    public async Task A_shot_whose_engine_dies_is_recorded_as_lost_and_launched_again_in_a_folder_of_its_own()
    {
        var (definition, launch) = CampaignFile.Load(Write(Undecided(shots: 1)));
        await using var server = await StartServerAsync(launch!);
        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(definition.Id);
        await grain.Start(definition, new Actor("test"));
        var first = await WaitAsync(grain, s => s.Shots.FirstOrDefault(x => x is { Pid: not null, FramesRecorded: >= 0 } && x.Outcome == ShotOutcome.Running));
        await WaitForFramesAsync(server, first.RunId);
        Process.GetProcessById(first.Pid!.Value).Kill();

        var done = await WaitAsync(grain, s => s.Phase == CampaignPhase.Finished ? s : null);
        Assert.Equal(2, done.Shots.Count);
        var lost = done.Shots.Single(s => s.Attempt == 1);
        Assert.Equal(ShotOutcome.Lost, lost.Outcome);
        Assert.InRange(lost.StepsRun!.Value, 0, UndecidedSteps - 1);
        var again = done.Shots.Single(s => s.Attempt == 2);
        Assert.Equal(ShotOutcome.Undecided, again.Outcome);
        Assert.Equal(UndecidedSteps, again.StepsRun);
        Assert.NotEqual(lost.Directory, again.Directory);
        Assert.NotEqual(lost.Seed, again.Seed);
        Assert.Equal(1, done.Counts.LostAttempts);
        Assert.Equal(1, done.Counts.Undecided);
    }

    [Fact]
    public async Task A_committed_engine_that_ignores_its_stop_file_is_sent_SIGTERM_after_the_stop_grace()
    {
        // The shot input without its fix halt: LAMMPS would run all 200,000 steps (minutes) after committing at frame 0.
        File.WriteAllText(_temp.File("nohalt.in"), LjShots.ShotInput.Replace("fix halt all halt", "# fix halt all halt", StringComparison.Ordinal));
        var campaign = LjShots.Campaign(_temp.Path, shots: 1, maxSteps: 200_000);
        campaign["points"] = JsonNode.Parse("""[ { "id": "xtal", "config": "crystal.data", "values": { "n_max": 864 } } ]""");
        var engine = LjShots.LaunchArguments(_temp.Path);
        engine[2] = _temp.File("nohalt.in");
        campaign["launch"] = new JsonObject { ["command"] = engine };
        campaign["stop_grace"] = 2;
        var (definition, launch) = CampaignFile.Load(Write(campaign));
        await using var server = await StartServerAsync(launch!);
        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(definition.Id);
        await grain.Start(definition, new Actor("test"));
        var done = await WaitAsync(grain, s => s.Phase == CampaignPhase.Finished ? s : null);

        var shot = Assert.Single(done.Shots);
        Assert.Equal(ShotOutcome.B, shot.Outcome);
        Assert.NotNull(shot.TerminatedAt);
        Assert.True(shot.TerminatedAt > shot.CommittedAt!.Value.AddSeconds(2));
        Assert.InRange(shot.StepsRun!.Value, 0, 199_999);
        Assert.DoesNotContain("Fix halt condition", File.ReadAllText(Path.Combine(shot.Directory, "log.lammps")));
    }

    [Fact]
    public async Task Shots_handed_to_a_batch_system_are_followed_by_their_job_ids()
    {
        // A stand-in for sbatch and squeue (Slurm is not installed here): it starts the engine in the background in the
        // shot's folder and answers with its pid as the job id; the status command prints the job while it runs.
        var submit = _temp.File("fake-sbatch");
        File.WriteAllText(submit, "#!/bin/bash\ncd \"$1\"; shift\nsetsid \"$@\" >engine.out 2>&1 </dev/null &\necho \"Submitted batch job $!\"\n");
        var status = _temp.File("fake-squeue");
        File.WriteAllText(status, "#!/bin/bash\nkill -0 \"$1\" 2>/dev/null && echo \"$1 RUNNING\"\nexit 0\n");
        foreach (var script in new[] { submit, status }) File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);

        var campaign = LjShots.Campaign(_temp.Path, shots: 1, maxSteps: 200_000);
        campaign["launch"] = new JsonObject { ["name"] = "batch" };
        var (definition, _) = CampaignFile.Load(Write(campaign));
        var engine = LjShots.LaunchArguments(_temp.Path).Select(a => a!.GetValue<string>());
        var command = new LaunchCommand("batch", LaunchKinds.Submit, new CommandTemplate([submit, "{dir}", .. engine]), new CommandTemplate([status, "{jobid}"]));
        await using var server = await StartServerAsync(command);
        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(definition.Id);
        await grain.Start(definition, new Actor("test"));
        var done = await WaitAsync(grain, s => s.Phase == CampaignPhase.Finished ? s : null);
        Assert.All(done.Shots, s => Assert.Matches(@"^\d+$", s.JobId));
        Assert.All(done.Shots, s => Assert.Null(s.Pid));
        Assert.Equal(ShotOutcome.A, done.Shots.Single(s => s.PointId == "liq").Outcome);
        Assert.Equal(ShotOutcome.B, done.Shots.Single(s => s.PointId == "xtal").Outcome);
        Assert.All(done.Shots, s => Assert.InRange(s.StepsRun!.Value, 0, 199_999));
    }

    [Fact]
    public async Task The_api_starts_a_campaign_only_with_a_launch_command_the_server_was_given()
    {
        var campaign = LjShots.Campaign(_temp.Path, shots: 1);
        var (_, launch) = CampaignFile.Load(Write(campaign));
        await using var server = await StartServerAsync(launch!);
        var port = server.Services.GetRequiredService<ServerOptions>().Port;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var inline = await http.PostAsync("/api/campaigns", new StringContent(campaign.ToJsonString()));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, inline.StatusCode);
        Assert.Contains("launch", await inline.Content.ReadAsStringAsync());
        campaign["launch"] = new JsonObject { ["name"] = "nonesuch" };
        var unknown = await http.PostAsync("/api/campaigns", new StringContent(campaign.ToJsonString()));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains(launch!.Name, await unknown.Content.ReadAsStringAsync()); // lists what the server has
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/api/campaigns/lj-test")).StatusCode);

        campaign["launch"] = new JsonObject { ["name"] = launch.Name };
        campaign["points"] = JsonNode.Parse($$"""[ { "id": "xtal", "config": "{{_temp.File("crystal.data")}}", "values": { "n_max": 864 } } ]""");
        var started = await http.PostAsync("/api/campaigns", new StringContent(campaign.ToJsonString()));
        Assert.Equal(System.Net.HttpStatusCode.Created, started.StatusCode);
        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>("lj-test");
        await WaitAsync(grain, s => s.Phase == CampaignPhase.Finished ? s : null);
        var record = await http.GetStringAsync("/api/campaigns/lj-test");
        ContractSchema.Check(record, "campaign_status");
        var list = JsonNode.Parse(await http.GetStringAsync("/api/campaigns"))!.AsArray();
        Assert.Equal("finished", (string)list.Single()!["phase"]!);
        var analysis = await http.GetStringAsync("/api/campaigns/lj-test/analysis");
        ContractSchema.Check(analysis, "campaign_analysis");
        Assert.Equal(1.0, JsonNode.Parse(analysis)!["points"]![0]!["p_b"]!.GetValue<double>());
        // Started again with the same definition: nothing new; with another: a conflict.
        Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostAsync("/api/campaigns", new StringContent(campaign.ToJsonString()))).StatusCode);
        campaign["shots_per_point"] = 3;
        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await http.PostAsync("/api/campaigns", new StringContent(campaign.ToJsonString()))).StatusCode);
    }

    /// <summary>
    /// Shots from the liquid, one at a time, between basins no frame enters: each runs its full <see cref="UndecidedSteps"/>
    /// (over ten seconds, so a test can act while one runs) and ends undecided.
    /// </summary>
    private JsonObject Undecided(int shots)
    {
        var campaign = LjShots.Campaign(_temp.Path, shots: shots, maxSteps: UndecidedSteps, concurrent: 1);
        campaign["basins"] = JsonNode.Parse("""[ { "name": "A", "bounds": { "n_max": [null, -1] } }, { "name": "B", "bounds": { "n_max": [100000, null] } } ]""");
        campaign["points"] = JsonNode.Parse("""[ { "id": "liq", "config": "liquid.data", "values": { "n_max": 3 } } ]""");
        return campaign;
    }

    private async Task<WebApplication> StartServerAsync(LaunchCommand launch)
    {
        var app = ServerHost.Create(new ServerOptions
        {
            Port = LoopbackPorts.Next(),
            SiloPort = LoopbackPorts.Next(),
            DataDirectory = _temp.File("server"),
            DataRoots = [_temp.Path],
            LaunchCommands = [launch],
            LogLevel = LogLevel.Warning,
        });
        await app.StartAsync();
        return app;
    }

    private static async Task WaitForFramesAsync(WebApplication server, string runId)
    {
        var run = server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRunGrain>(runId);
        var clock = Stopwatch.StartNew();
        while ((await run.GetStatus()).FramesProcessed < 2)
        {
            Assert.True(clock.Elapsed < Patience, $"{runId} recorded no frames");
            await Task.Delay(100);
        }
    }

    private static async Task<T> WaitAsync<T>(ICampaignGrain grain, Func<CampaignStatus, T?> until) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await grain.GetStatus();
            if (status is not null && until(status) is { } found) return found;
            Assert.True(clock.Elapsed < Patience, $"the campaign did not get there: {JsonSerializer.Serialize(status, ContractJson.Options)}");
            await Task.Delay(200);
        }
    }
}
