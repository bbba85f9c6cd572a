using StreamMonitor.Core;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// The runs API of a real <c>serve</c> over HTTP, as a user on a shared machine would try it: what a registration may
/// name (paths, ids, stop commands, processes), how runs end and are removed, and that every answer is the contract's.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ServeControlTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_registration_names_only_what_the_server_allows()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 200, dumpEvery: 100);
        Directory.CreateSymbolicLink(_temp.File("escape"), "/etc");
        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"),
            extra: ["--stop-command", "mark=touch {dir}/stopped-{jobid}", "--signal-allow", "sleep"]);
        using var sleeper = Process.Start("sleep", "120");
        using var cat = Process.Start(new ProcessStartInfo("cat") { RedirectStandardInput = true })!;
        try
        {
            await Refused(server, new { id = "../../etc", trajectory = dump }, HttpStatusCode.BadRequest, "run id '../../etc' is not valid");
            await Refused(server, new { id = "a", trajectory = "/etc/shadow" }, HttpStatusCode.BadRequest, "trajectory '/etc/shadow' is outside the server's data roots");
            await Refused(server, new { id = "a", trajectory = _temp.File("x/../../../etc/shadow") }, HttpStatusCode.BadRequest, "contains '..'");
            await Refused(server, new { id = "a", trajectory = _temp.File("escape/shadow") }, HttpStatusCode.BadRequest, "(it leads to /etc/shadow)");
            await Refused(server, new { id = "a", trajectory = _temp.File("data/state.db") }, HttpStatusCode.BadRequest, "which the server keeps for its own state");
            await Refused(server, new { id = "a", trajectory = dump, model = "state.db" }, HttpStatusCode.BadRequest, "no such file, and not a shipped model");
            // A caller cannot write a command, only name one the server defines, with parameters that match their patterns.
            await Refused(server, new { id = "a", trajectory = dump, stop_strategy = "command:touch /tmp/pwned" }, HttpStatusCode.BadRequest, "stop_strategy");
            await Refused(server, new { id = "a", trajectory = dump, stop = new { command = "bash" } }, HttpStatusCode.BadRequest, "unknown stop command 'bash' (configured: mark)");
            await Refused(server, new { id = "a", trajectory = dump, stop = new { command = "mark" } }, HttpStatusCode.BadRequest, "needs the parameter \"jobid\"");
            await Refused(server, new { id = "a", trajectory = dump, stop = new { command = "mark", @params = new { jobid = "1;reboot" } } }, HttpStatusCode.BadRequest, "does not match");
            await Refused(server, new { id = "a", trajectory = dump, stop = new { file = "/etc/STOP" } }, HttpStatusCode.BadRequest, "stop file '/etc/STOP' is outside");
            await Refused(server, new { id = "a", trajectory = dump, stop = new { signal = "TERM", pid = 1 } }, HttpStatusCode.BadRequest, "pid 1 is refused");
            await Refused(server, new { id = "a", trajectory = dump, stop = new { signal = "TERM", pid = cat.Id } }, HttpStatusCode.BadRequest, "runs cat, which --signal-allow 'sleep' does not name");
            await Refused(server, new { id = "a", trajectory = dump, end_after_idle = "ten minutes" }, HttpStatusCode.BadRequest, "end_after_idle");
            Assert.False(File.Exists("/tmp/pwned"));

            var signalled = await _http.PostAsJsonAsync(server.Api, new { id = "engine", trajectory = dump, stop = new { signal = "TERM", pid = sleeper.Id } });
            Assert.Equal(HttpStatusCode.Created, signalled.StatusCode);

            // A run stopped through a named command: the server fills the run's own folder and the registered job id.
            var registered = await _http.PostAsJsonAsync(server.Api, new { id = "shot:1", trajectory = dump, stop = new { command = "mark", @params = new { jobid = "4242" } }, end_after_stop = 1 });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            Assert.Equal("/api/runs/shot%3A1", registered.Headers.Location!.OriginalString);
            ContractSchema.Check(await registered.Content.ReadAsStringAsync(), "run_status");
            await Refused(server, new { id = "shot:1", trajectory = dump, stop = new { command = "mark", @params = new { jobid = "4243" } }, end_after_stop = 1 },
                HttpStatusCode.Conflict, "already registered with another configuration (stop:");

            await server.WaitForAsync("/shot:1", r => r["status"]!["frames_processed"]!.GetValue<int>() == 3);
            var stop = await _http.PostAsync(server.Api + "/shot:1/stop", null);
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
            var stopJson = await stop.Content.ReadAsStringAsync();
            ContractSchema.Check(stopJson, "run_event");
            Assert.Equal("succeeded", JsonNode.Parse(stopJson)!["labels"]!["outcome"]!.GetValue<string>());
            Assert.True(File.Exists(_temp.File("stopped-4242")));
            var ended = await server.WaitForAsync("/shot:1", r => r["status"]!["state"]!.GetValue<string>() == "stopped");
            ContractSchema.Check(ended.ToJsonString(), "run_detail");
            Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsync(server.Api + "/shot:1/stop", null)).StatusCode);

            // The signal goes to the registered process only.
            Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(server.Api + "/engine/stop", null)).StatusCode);
            Assert.True(sleeper.WaitForExit(10_000), "the engine was not signalled");
            Assert.False(cat.HasExited);
        }
        finally
        {
            if (!sleeper.HasExited) sleeper.Kill();
            cat.Kill();
        }
    }

    [Fact]
    public async Task Runs_end_are_removed_and_purged_and_are_listed_in_pages_from_the_registry()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 200, dumpEvery: 100);
        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"), extra: ["--end-after-idle", "1"]);
        foreach (var id in new[] { "r1", "r2", "r3", "r4", "r5" })
            Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync(server.Api, new { id, trajectory = dump })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync(server.Api, new { id = "waiting", trajectory = _temp.File("later.lammpstrj"), end_after_idle = 600 })).StatusCode);

        // The server's --end-after-idle ends the five; the one that set its own waits on.
        var finished = await server.WaitForAsync(server.Api + "?state=finished", page => page["total"]!.GetValue<int>() == 5);
        ContractSchema.Check(finished.ToJsonString(), "run_listing_page");
        Assert.All(finished["runs"]!.AsArray(), r => Assert.Equal("the file has not grown for 1 s", r!["reason"]!.GetValue<string>()));

        var ids = new List<string>();
        string? after = null;
        int pages = 0;
        do
        {
            var page = JsonNode.Parse(await _http.GetStringAsync(server.Api + "?limit=2" + (after is null ? "" : "&after=" + after)))!;
            ContractSchema.Check(page.ToJsonString(), "run_listing_page");
            ids.AddRange(page["runs"]!.AsArray().Select(r => r!["run_id"]!.GetValue<string>()));
            after = page["next"]?.GetValue<string>();
            pages++;
        }
        while (after is not null);
        Assert.Equal(["r1", "r2", "r3", "r4", "r5", "waiting"], ids);
        Assert.Equal(3, pages);
        await Refused(server, null, HttpStatusCode.BadRequest, "state 'asleep' is not one of", "?state=asleep");
        await Refused(server, null, HttpStatusCode.BadRequest, "limit must be 1 to 1000", "?limit=0");

        // Every update of a run, numbered without a gap, from the run itself.
        var updates = JsonNode.Parse(await _http.GetStringAsync(server.Api + "/r1/updates?after=0"))!;
        ContractSchema.Check(updates.ToJsonString(), "run_update_page");
        var sequence = updates["updates"]!.AsArray().Select(u => u!["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(1, sequence.Count).Select(i => (long)i), sequence);
        Assert.Equal(["registered", "following", "finished"], updates["updates"]!.AsArray()
            .Where(u => u!["type"]!.GetValue<string>() == "status").Select(u => u!["status"]!["state"]!.GetValue<string>()));

        // Removing stops following the run; it is listed as removed until it is purged, and then it is gone.
        var removed = await _http.DeleteAsync(server.Api + "/waiting");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        ContractSchema.Check(await removed.Content.ReadAsStringAsync(), "run_status");
        Assert.Equal(0, JsonNode.Parse(await _http.GetStringAsync(server.Api + "?state=registered"))!["total"]!.GetValue<int>());
        Assert.Equal(["waiting"], JsonNode.Parse(await _http.GetStringAsync(server.Api + "?state=removed"))!["runs"]!.AsArray().Select(r => r!["run_id"]!.GetValue<string>()));
        Assert.Equal("removed", JsonNode.Parse(await _http.GetStringAsync(server.Api + "/waiting"))!["status"]!["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync(server.Api + "/waiting?purge=true")).StatusCode);
        await Refused(server, null, HttpStatusCode.NotFound, "no run 'waiting'", "/waiting");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync(server.Api + "/nobody")).StatusCode);

        // The same through the command line, as a user on the login node would do it.
        string url = server.Api[..^"/api/runs".Length];
        var rm = StreamMonitorCli.Run("runs", "rm", "r5", "--server", url);
        Assert.True(rm.ExitCode == 0, rm.StandardError);
        Assert.Equal("r5: removed (removed by local from 127.0.0.1)", rm.StandardOutput.Trim());
        var list = StreamMonitorCli.Run("runs", "list", "--server", url, "--state", "finished");
        Assert.Equal(["r1", "r2", "r3", "r4"], list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]));
        var missing = StreamMonitorCli.Run("runs", "rm", "r5x", "--server", url);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("streammonitor: DELETE /api/runs/r5x: 404 no run 'r5x'", missing.StandardError.Trim());
        await server.StopAsync();
        var down = StreamMonitorCli.Run("runs", "list", "--server", url);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains($"cannot reach {url}", down.StandardError);
    }

    [Fact]
    public async Task A_config_file_sets_the_roots_the_stop_commands_and_the_idle_time()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 100, dumpEvery: 100);
        var config = _temp.File("server.json");
        File.WriteAllText(config, """
            // what this site's server allows
            {
              "data_roots": ["."],
              "stop_commands": {
                "mark": "touch {dir}/stopped-{jobid}",
                "note": { "command": ["touch", "{dir}/note-{account}-{run_id}"], "params": { "account": "[a-z]+" }, "timeout": 5 },
              },
              "end_after_idle": 1,
              "end_after_stop": 1,
            }
            """);
        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"), extra: ["--config", config]);

        await Refused(server, new { id = "n", trajectory = dump, stop = new { command = "note", @params = new { account = "Chem1" } } }, HttpStatusCode.BadRequest,
            "stop parameter \"account\" = 'Chem1' does not match \\A(?:[a-z]+)\\z");
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync(server.Api, new { id = "n", trajectory = dump, stop = new { command = "note", @params = new { account = "chem" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(server.Api + "/n/stop", null)).StatusCode);
        Assert.True(File.Exists(_temp.File("note-chem-n")));
        var finished = await server.WaitForAsync("/n", r => r["status"]!["state"]!.GetValue<string>() == "stopped");
        Assert.Equal(1, finished["status"]!["config"]!["end_after_stop"]!.GetValue<double>());
        Assert.Equal(1, finished["status"]!["config"]!["end_after_idle"]!.GetValue<double>());
        await server.StopAsync();

        // A template with a placeholder the server cannot check, or a setting it does not know, stops it from starting.
        File.WriteAllText(config, """{ "stop_commands": { "bad": "rm -rf {path}" } }""");
        var bad = StreamMonitorCli.Run("serve", "--config", config, "--data", _temp.File("data"), "--port", LoopbackPorts.Next().ToString());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("stop command 'bad' (rm -rf {path}) uses {path}", bad.StandardError);
        File.WriteAllText(config, """{ "end_after_idel": 5 }""");
        bad = StreamMonitorCli.Run("serve", "--config", config, "--data", _temp.File("data"), "--port", LoopbackPorts.Next().ToString());
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"{config}: end_after_idel: unknown setting", bad.StandardError);
    }

    [Fact]
    public async Task The_server_listens_on_its_api_and_its_silo_port_and_nothing_else()
    {
        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"));
        int api = new Uri(server.Api).Port;
        // No Orleans gateway: its clients are not authenticated, and would reach the grains around the API's roles.
        Assert.Equal(new[] { api, server.SiloPort }.Order(), ListeningPorts(server.Process.Id).Distinct().Order());
        await server.StopAsync();
    }

    /// <summary>The TCP ports <paramref name="pid"/> listens on: its sockets' inodes matched against the kernel's table.</summary>
    private static IEnumerable<int> ListeningPorts(int pid)
    {
        var sockets = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget ?? "")
            .Where(target => target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => target["socket:[".Length..^1])
            .ToHashSet();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns[3] == "0A" && sockets.Contains(columns[9])) // 0A: LISTEN
                    yield return Convert.ToInt32(columns[1].Split(':')[1], 16);
            }
    }

    /// <summary>Posts <paramref name="body"/> (or, with none, gets <paramref name="path"/>) and checks the refusal and its message.</summary>
    private async Task Refused(ServerProcess server, object? body, HttpStatusCode expected, string message, string path = "")
    {
        var response = body is null ? await _http.GetAsync(server.Api + path) : await _http.PostAsJsonAsync(server.Api + path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} instead of {(int)expected}: {text}");
        ContractSchema.Check(text, "error");
        Assert.Contains(message, JsonNode.Parse(text)!["error"]!.GetValue<string>());
    }
}
