using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Cluster;

/// <summary>
/// Three <c>serve</c> silos and Redis on hosts of their own (network namespaces, see <see cref="NetworkNamespaces"/>),
/// each silo advertising its host's address: when one silo's link is cut (a partition, the process keeps running) and
/// then another silo is killed, every run resumes on the last one with each frame recorded exactly once, and that
/// silo's dashboard still shows them all.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PartitionedClusterTests : IDisposable
{
    private const int Runs = 6;
    private const string Redis = $"{NetworkNamespaces.Subnet}.2";

    /// <summary>One frame per run this often: the runs are still growing while silos fail.</summary>
    private static readonly TimeSpan FramePeriod = TimeSpan.FromMilliseconds(800);

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<IDisposable> _processes = [];
    private NetworkNamespaces? _network;

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        _network?.Dispose();
        _http.Dispose();
        _temp.Dispose();
    }

    [NetworkNamespacesFact]
    public async Task EveryRunResumesOnTheLastSiloAfterOneIsCutOffAndAnotherKilledWithNoFrameLostOrRecordedTwice()
    {
        _network = new NetworkNamespaces();
        await StartRedisAsync(_network.AddHost(2));
        var hosts = new[] { 11, 12, 13 }.Select(octet => (Octet: octet, Namespace: _network.AddHost(octet))).ToList();
        var silos = await Task.WhenAll(hosts.Select(host => StartSiloAsync(host.Namespace, $"{NetworkNamespaces.Subnet}.{host.Octet}")));
        var namespaceOf = silos.Zip(hosts).ToDictionary(pair => pair.First, pair => pair.Second.Namespace);

        var frames = Lammps.SplitFrames(File.ReadAllText(Lammps.RunQuench(_temp.Path, "source.lammpstrj", cells: 4, runSteps: 12000, dumpEvery: 100)));
        var dumps = Enumerable.Range(0, Runs).Select(i => _temp.File($"run{i}.lammpstrj")).ToList();
        foreach (var dump in dumps) File.WriteAllText(dump, frames[0]);
        // Through every silo's API: placement may prefer the silo that is asked, and the runs are to be spread.
        for (int i = 0; i < Runs; i++)
        {
            var registered = await _http.PostAsJsonAsync(silos[i % silos.Length].Api, new { id = $"run{i}", trajectory = dumps[i], checkpoint_every = 1 });
            Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        }
        // The runs grow until the test has done its damage, however long that takes here: at most 121 frames, ~100 s.
        using var writing = new CancellationTokenSource();
        var writer = WriteAsync(dumps, frames, writing.Token);
        try
        {
            var started = await StatusesAsync(silos[0], s => s["frames_processed"]!.GetValue<int>() >= 2);
            // Orleans places the runs by the silos' load, so on a busy machine they may all start on one silo; the cut
            // then takes every run, and the crash below still takes those that moved to the silo it kills.
            var hosting = silos.Where(silo => started.Values.Any(silo.Hosts)).ToList();
            Assert.NotEmpty(hosting);

            // A partition: the silo hosting the most runs loses its link but keeps running.
            var cut = hosting.MaxBy(silo => started.Values.Count(silo.Hosts))!;
            _network.Cut(namespaceOf[cut]);
            var reachable = silos.Where(silo => silo != cut).ToList();
            var resumed = await StatusesAsync(reachable[0], (id, s) => reachable.Any(silo => silo.Hosts(s)) &&
                s["frames_processed"]!.GetValue<int>() > started[id]["frames_processed"]!.GetValue<int>());
            // Then a crash: the reachable silo hosting the most runs is killed.
            var killed = reachable.MaxBy(silo => resumed.Values.Count(silo.Hosts))!;
            var survivor = reachable.Single(silo => silo != killed);
            killed.Process.Kill(entireProcessTree: true);
            await killed.Process.WaitForExitAsync();
            Assert.False(writer.IsCompleted, $"all {frames.Count} frames were written before the second silo failed");

            // A few frames more, for the survivor to follow growth after the crash, then the runs end.
            int atCrash = Lammps.FramesIn(dumps[0]);
            while (!writer.IsCompleted && Lammps.FramesIn(dumps[0]) < atCrash + 5) await Task.Delay(100);
            await writing.CancelAsync();
            int written = await writer;
            var ended = await StatusesAsync(survivor, s => s["frames_processed"]!.GetValue<int>() >= written, TimeSpan.FromMinutes(2));
            Assert.All(ended.Values, status => Assert.True(survivor.Hosts(status), status.ToJsonString()));
            foreach (var (id, status) in ended)
                await AssertEveryFrameRecordedOnceAsync(survivor, id, status, written);

            // The survivor's dashboard: the page and every run in its list.
            var page = await _http.GetAsync(survivor.Root + "/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var listed = JsonNode.Parse(await _http.GetStringAsync(survivor.Api))!["runs"]!.AsArray();
            Assert.Equal(ended.Keys.Order(), listed.Select(r => r!["run_id"]!.GetValue<string>()).Order());
        }
        finally
        {
            await writing.CancelAsync();
        }
    }

    private async Task StartRedisAsync(string host)
    {
        // Not protected mode: the clients are on other hosts of the test's own network, which nothing else reaches.
        var redis = ExternalProcess.Start("ip", [.. NetworkNamespaces.Exec(host).Skip(1), "redis-server", "--bind", Redis, "--port", "6379",
            "--protected-mode", "no", "--appendonly", "yes", "--dir", _temp.Path, "--save", ""]);
        _processes.Add(redis);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (ExternalProcess.Run("redis-cli", ["-h", Redis, "-p", "6379", "ping"], check: false).StandardOutput.Trim() != "PONG")
        {
            if (redis.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"redis-server in {host} did not answer: {(redis.HasExited ? redis.StandardOutput.ReadToEnd() + redis.StandardError.ReadToEnd() : "still running")}");
            await Task.Delay(200);
        }
    }

    private async Task<ServerProcess> StartSiloAsync(string host, string address)
    {
        var silo = await ServerProcess.StartAsync(_http, _temp.File($"silo-{address}"), environment: ServerProcess.FastFailureDetection,
            listen: address, launcher: NetworkNamespaces.Exec(host),
            extra: ["--redis", $"{Redis}:6379", "--cluster", "partitioned", "--resume-period", "2", "--advertise", address, "--insecure"]);
        lock (_processes) _processes.Add(silo);
        return silo;
    }

    /// <summary>
    /// Appends the frames after the first to every dump, one frame per dump per <see cref="FramePeriod"/>, until they run
    /// out or <paramref name="stop"/> is set; returns the frames each dump holds. A frame is never left half-written.
    /// </summary>
    private static async Task<int> WriteAsync(List<string> dumps, List<string> frames, CancellationToken stop)
    {
        int written = 1;
        foreach (var frame in frames.Skip(1))
        {
            await Task.Delay(FramePeriod, CancellationToken.None);
            if (stop.IsCancellationRequested) break;
            foreach (var dump in dumps) await File.AppendAllTextAsync(dump, frame, CancellationToken.None);
            written++;
        }
        return written;
    }

    /// <summary>Every run's status, through <paramref name="silo"/>'s API, once <paramref name="done"/> holds for each.</summary>
    private static Task<Dictionary<string, JsonNode>> StatusesAsync(ServerProcess silo, Func<JsonNode, bool> done, TimeSpan? patience = null) =>
        StatusesAsync(silo, (_, status) => done(status), patience);

    private static async Task<Dictionary<string, JsonNode>> StatusesAsync(ServerProcess silo, Func<string, JsonNode, bool> done, TimeSpan? patience = null)
    {
        var statuses = new Dictionary<string, JsonNode>();
        for (int i = 0; i < Runs; i++)
        {
            string id = $"run{i}";
            statuses[id] = (await silo.WaitForAsync($"/{id}", run => done(id, run["status"]!), patience))["status"]!;
        }
        return statuses;
    }

    /// <summary>The run's summaries are frames 0..n-1 in order and its updates numbered 1, 2, ... with no gap or repeat.</summary>
    private async Task AssertEveryFrameRecordedOnceAsync(ServerProcess silo, string id, JsonNode status, int frames)
    {
        Assert.Equal(frames, status["frames_processed"]!.GetValue<int>());
        Assert.Equal(frames - 1, status["last_frame"]!.GetValue<int>());
        var run = JsonNode.Parse(await _http.GetStringAsync($"{silo.Api}/{id}"))!;
        Assert.Equal(Enumerable.Range(0, frames).Select(i => (long)i), run["summaries"]!.AsArray().Select(s => s!["frame"]!.GetValue<long>()));
        var page = JsonNode.Parse(await _http.GetStringAsync($"{silo.Api}/{id}/updates"))!;
        var updates = page["updates"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, updates.Count).Select(i => (long)i), updates.Select(u => u!["sequence"]!.GetValue<long>()));
        Assert.Equal(page["last_sequence"]!.GetValue<long>(), updates.Count);
        Assert.Equal(Enumerable.Range(0, frames).Select(i => (long)i),
            updates.Where(u => u!["summary"] is not null).Select(u => u!["summary"]!["frame"]!.GetValue<long>()));
    }
}
