using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary><c>streammonitor serve</c>: the embedded silo with SQLite state and the runs API, across a restart.</summary>
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
        int port = FreePorts.Next();
        var api = $"http://127.0.0.1:{port}/api/runs";

        using (var server = await StartServerAsync(port, data, api))
        {
            var registered = await _http.PostAsJsonAsync(api, new { id = "quench", trajectory = dump, stop_strategy = $"file:{_temp.File("STOP")}" });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

            var run = await WaitForAsync(api + "/quench", r => r["status"]!["frames_processed"]!.GetValue<int>() == 11);
            Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), run["summaries"]!.AsArray().Select(s => s!["frame"]!.GetValue<long>()));
            Assert.Equal(500, run["summaries"]![0]!["count"]!.GetValue<int>());

            var stop = JsonNode.Parse(await (await _http.PostAsync(api + "/quench/stop", null)).Content.ReadAsStringAsync())!;
            Assert.Equal("stop", stop["kind"]!.GetValue<string>());
            Assert.Equal("api:localhost", stop["labels"]!["by"]!.GetValue<string>());
            Assert.True(File.Exists(_temp.File("STOP")));

            var bad = await _http.PostAsJsonAsync(api, new { id = "bad", trajectory = dump, checkpoint_every = 0 });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("checkpoint-every", await bad.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(api + "/nope")).StatusCode);
            await StopServerAsync(server);
        }

        // A new server on the same state file knows the run, its frames and its stop.
        using (var server = await StartServerAsync(port, data, api))
        {
            var runs = JsonNode.Parse(await _http.GetStringAsync(api))!.AsArray();
            var quench = Assert.Single(runs);
            Assert.Equal("quench", quench!["run_id"]!.GetValue<string>());
            Assert.Equal(11, quench["frames_processed"]!.GetValue<int>());
            Assert.Equal("stopped", quench["state"]!.GetValue<string>());
            await StopServerAsync(server);
        }
    }

    [Fact]
    public async Task NewTrajectoriesUnderAWatchedDirectoryBecomeRuns()
    {
        var made = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        var campaign = Directory.CreateDirectory(_temp.File("campaign")).FullName;
        int port = FreePorts.Next();
        var api = $"http://127.0.0.1:{port}/api/runs";
        using var server = await StartServerAsync(port, _temp.File("data"), api,
            "--watch", campaign, "--watch-glob", "shots/*/dump.lammpstrj");

        // A shot appears after the server started; a file the glob does not name is left alone.
        Directory.CreateDirectory(Path.Combine(campaign, "shots", "s1"));
        File.Copy(made, Path.Combine(campaign, "shots", "s1", "dump.lammpstrj"));
        File.Copy(made, Path.Combine(campaign, "other.lammpstrj"));

        var run = await WaitForAsync(api + "/shots:s1:dump.lammpstrj", r => r["status"]!["frames_processed"]!.GetValue<int>() == 11);
        Assert.Equal($"file:{Path.Combine(campaign, "shots", "s1", "STOP")}", run["status"]!["config"]!["stop_strategy"]!.GetValue<string>());
        var ids = JsonNode.Parse(await _http.GetStringAsync(api))!.AsArray().Select(r => r!["run_id"]!.GetValue<string>());
        Assert.Equal(["shots:s1:dump.lammpstrj"], ids);
        await StopServerAsync(server);
    }

    private async Task<Process> StartServerAsync(int port, string data, string api, params string[] extra)
    {
        var server = StreamMonitorCli.Start(["serve", "--port", port.ToString(), "--data", data,
            "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(), .. extra]);
        var log = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) throw new InvalidOperationException($"serve exited with {server.ExitCode}: {log}");
            try
            {
                if ((await _http.GetAsync(api)).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        server.Kill(entireProcessTree: true);
        throw new TimeoutException($"serve did not answer on {api}: {log}");
    }

    private static async Task StopServerAsync(Process server)
    {
        using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await server.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, server.ExitCode);
    }

    private async Task<JsonNode> WaitForAsync(string url, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonNode last = new JsonObject();
        while (DateTime.UtcNow < deadline)
        {
            var response = await _http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                last = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (done(last)) return last;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{url} never reached the expected state: {last.ToJsonString()}");
    }
}
