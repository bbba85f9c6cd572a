using StreamMonitor.Core;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary><c>streammonitor serve</c>: the embedded silo with SQLite state and the runs API, across a restart.</summary>
[Trait("Category", "Slow")]
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task ARegisteredRunIsFollowedStoppedAndStillThereAfterARestart()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100); // 11 frames
        var data = _temp.File("data");
        int port = LoopbackPorts.Next();

        using (var server = await ServerProcess.StartAsync(_http, data, port))
        {
            var api = server.Api;
            var registered = await _http.PostAsJsonAsync(api, new { id = "quench", trajectory = dump, stop = new { file = "STOP" }, end_after_stop = 1 });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            Assert.Equal("/api/runs/quench", registered.Headers.Location!.OriginalString);

            var run = await server.WaitForAsync("/quench", r => r["status"]!["frames_processed"]!.GetValue<int>() == 11);
            Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), run["summaries"]!.AsArray().Select(s => s!["frame"]!.GetValue<long>()));
            Assert.Equal(500, run["summaries"]![0]!["count"]!.GetValue<int>());

            var stop = JsonNode.Parse(await (await _http.PostAsync(api + "/quench/stop", null)).Content.ReadAsStringAsync())!;
            Assert.Equal("stop", stop["kind"]!.GetValue<string>());
            Assert.Equal("local", stop["labels"]!["by"]!.GetValue<string>()); // the open loopback server's one user
            Assert.Equal("127.0.0.1", stop["labels"]!["from"]!.GetValue<string>());
            Assert.True(File.Exists(_temp.File("STOP")));
            // Once the file has stopped growing (1 s here), the run ends.
            await server.WaitForAsync("/quench", r => r["status"]!["state"]!.GetValue<string>() == "stopped");

            var bad = await _http.PostAsJsonAsync(api, new { id = "bad", trajectory = dump, checkpoint_every = 0 });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("checkpoint_every must be 1 to 10000 frames, got 0", await bad.Content.ReadAsStringAsync());
            var badModel = await _http.PostAsJsonAsync(api, new { id = "m", trajectory = dump, model = "nope" });
            Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
            Assert.Contains("nope': no such file, and not a shipped model", await badModel.Content.ReadAsStringAsync());
            var badClass = await _http.PostAsJsonAsync(api, new { id = "c", trajectory = dump, summary = new { interface_axis = "z", interface_classes = new[] { "ice" } } });
            Assert.Equal(HttpStatusCode.BadRequest, badClass.StatusCode);
            Assert.Contains("ice", await badClass.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(api + "/nope")).StatusCode);
            await server.StopAsync();
        }

        // A new server on the same state file knows the run, its frames and its stop.
        using (var server = await ServerProcess.StartAsync(_http, data, port))
        {
            var runs = JsonNode.Parse(await _http.GetStringAsync(server.Api))!["runs"]!.AsArray();
            var quench = Assert.Single(runs);
            Assert.Equal("quench", quench!["run_id"]!.GetValue<string>());
            Assert.Equal(11, quench["frames_processed"]!.GetValue<int>());
            Assert.Equal("stopped", quench["state"]!.GetValue<string>());
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task NewTrajectoriesUnderAWatchedDirectoryBecomeRuns()
    {
        var made = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        var campaign = Directory.CreateDirectory(_temp.File("campaign")).FullName;
        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"), extra: ["--watch", campaign, "--watch-glob", "shots/*/dump.lammpstrj"]);

        // A shot appears after the server started; a file the glob does not name is left alone.
        Directory.CreateDirectory(Path.Combine(campaign, "shots", "s1"));
        File.Copy(made, Path.Combine(campaign, "shots", "s1", "dump.lammpstrj"));
        File.Copy(made, Path.Combine(campaign, "other.lammpstrj"));

        var run = await server.WaitForAsync("/shots:s1:dump.lammpstrj", r => r["status"]!["frames_processed"]!.GetValue<int>() == 11);
        Assert.Equal(Path.Combine(campaign, "shots", "s1", "STOP"), run["status"]!["config"]!["stop"]!["file"]!.GetValue<string>());
        var ids = JsonNode.Parse(await _http.GetStringAsync(server.Api))!["runs"]!.AsArray().Select(r => r!["run_id"]!.GetValue<string>());
        Assert.Equal(["shots:s1:dump.lammpstrj"], ids);
        await server.StopAsync();
    }

    [Fact]
    public async Task RunsInARunsFileAreRegisteredAtStartWithPathsRelativeToTheFile()
    {
        var made = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        var folder = Directory.CreateDirectory(_temp.File("config")).FullName;
        File.Copy(made, Path.Combine(folder, "a.lammpstrj"));
        var runsFile = Path.Combine(folder, "runs.json");
        File.WriteAllText(runsFile, """
            // runs this server follows
            { "runs": [
              { "id": "a", "trajectory": "a.lammpstrj", "stop": { "file": "STOP" }, "stop_on": ["nucleation"],
                "rules": { "nucleation": { "threshold": 1, "consecutive": 1, "growth": null } } },
              { "id": "later", "trajectory": "later.lammpstrj", "checkpoint_every": 5 },
            ] }
            """);

        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"), extra: ["--runs", runsFile]);
        var a = await server.WaitForAsync("/a", r => r["status"]!["frames_processed"]!.GetValue<int>() == 11);
        Assert.Equal("stopping", a["status"]!["state"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(folder, "STOP")));
        var later = await server.WaitForAsync("/later", r => r["status"]!["state"]!.GetValue<string>() == "registered");
        Assert.Equal(Path.Combine(folder, "later.lammpstrj"), later["status"]!["config"]!["trajectory_path"]!.GetValue<string>());
        Assert.Equal(5, later["status"]!["config"]!["checkpoint_every"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync(server.Api + "/later")).StatusCode);
        await server.StopAsync();

        // A restart with the same file neither brings back the removed run nor follows anything anew.
        using var again = await ServerProcess.StartAsync(_http, _temp.File("data"), extra: ["--runs", runsFile]);
        await again.WaitForLogAsync("run later: already known");
        Assert.Equal("removed", JsonNode.Parse(await _http.GetStringAsync(again.Api + "/later"))!["status"]!["state"]!.GetValue<string>());
        Assert.Equal(11, JsonNode.Parse(await _http.GetStringAsync(again.Api + "/a"))!["status"]!["frames_processed"]!.GetValue<int>());
        await again.StopAsync();
    }

    [Fact]
    public void ABadRunsFileIsOneErrorNamingTheFileAndTheRun()
    {
        var runsFile = _temp.File("runs.json");
        File.WriteAllText(runsFile, """[ { "id": "x", "trajectory": "x.lammpstrj" }, { "id": "x", "trajectory": "y.lammpstrj" } ]""");
        var result = StreamMonitorCli.Run("serve", "--data", _temp.File("data"), "--runs", runsFile, "--port", LoopbackPorts.Next().ToString());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{runsFile}: run 1: id 'x' appears twice", result.StandardError);

        File.WriteAllText(runsFile, """[ { "id": "x", "trajectory": "x.lammpstrj", "stop_strategy": "file:S" } ]""");
        result = StreamMonitorCli.Run("serve", "--data", _temp.File("data"), "--runs", runsFile, "--port", LoopbackPorts.Next().ToString());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{runsFile}: run 0:", result.StandardError);
        Assert.Contains("stop_strategy", result.StandardError);
    }
}
