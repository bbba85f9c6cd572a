using System.Net;
using System.Net.Http.Json;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Metrics;

/// <summary>
/// <c>serve --influx</c> following a live LAMMPS run while things go wrong: InfluxDB stops mid-run and comes back, and
/// (in a cluster) the silo that holds the metrics exporter dies while InfluxDB is down, its spilled points with it.
/// Every frame of the run ends up in InfluxDB exactly once.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ServeInfluxOutageTests : IDisposable
{
    private const string Run = "live";

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private readonly InfluxTestServer _influx = InfluxTestServer.Start();
    private readonly string _database = InfluxTestServer.UniqueDatabase("outage");

    public void Dispose()
    {
        _influx.Dispose();
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task An_InfluxDB_outage_during_a_live_run_loses_no_frame_and_writes_none_twice()
    {
        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"), extra: InfluxArguments());
        var dump = _temp.File("live.lammpstrj");
        using var lmp = await StartRunAsync(server, dump);

        _influx.Stop();
        await server.WaitForLogAsync("cannot take writes", TimeSpan.FromSeconds(90));
        int during = await FramesProcessedAsync(server);
        await server.WaitForAsync($"/{Run}", r => r["status"]!["frames_processed"]!.GetValue<int>() >= during + 3);
        Assert.False(lmp.HasExited, $"lmp {lmp.State} during the outage");
        _influx.Resume();

        int frames = await FinishAsync(lmp, server);
        await AssertEveryFrameOnceAsync(frames);
        await server.WaitForLogAsync("takes writes again");
        await server.StopAsync();
    }

    [Fact]
    public async Task When_the_exporters_silo_dies_during_an_outage_the_survivor_writes_every_frame_once()
    {
        string[] cluster = [.. ServerProcess.ClusterArguments(RedisTestServer.UniqueName("influx-failover")), .. InfluxArguments()];
        // The first silo wakes the exporter while it is the only one, so the exporter lives there.
        using var a = await ServerProcess.StartAsync(_http, _temp.File("a"), environment: ServerProcess.FastFailureDetection, extra: cluster);
        using var b = await ServerProcess.StartAsync(_http, _temp.File("b"), environment: ServerProcess.FastFailureDetection, extra: cluster);
        var dump = _temp.File("live.lammpstrj");
        using var lmp = await StartRunAsync(a, dump);

        // Each silo's health goes through the one exporter.
        await WaitForHealthAsync(a);
        await WaitForHealthAsync(b);

        // InfluxDB goes away; the exporter spills to a's disk; then a dies with what it spilled.
        _influx.Stop();
        await a.WaitForLogAsync("cannot take writes", TimeSpan.FromSeconds(90));
        Assert.DoesNotContain("cannot take writes", b.Log);
        a.Process.Kill(entireProcessTree: true);
        await a.Process.WaitForExitAsync();
        Assert.False(lmp.HasExited, $"lmp {lmp.State} before the silo was killed");
        _influx.Resume();

        int frames = await FinishAsync(lmp, b);
        await AssertEveryFrameOnceAsync(frames);
        await b.StopAsync();
    }

    /// <summary>Waits until InfluxDB holds <c>monitor</c> points of <paramref name="server"/>'s silo.</summary>
    private async Task WaitForHealthAsync(ServerProcess server)
    {
        // Samples go every SiloHealthReporter.Period; two servers and a simulation on a loaded 2-core machine can delay them.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        var silos = new HashSet<string?>();
        while (!silos.Any(s => s!.Contains($":{server.SiloPort}:", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"no health of silo port {server.SiloPort} in InfluxDB, only of: {string.Join(", ", silos)}; its log ends:\n{Tail(server.Log, 40)}");
            await Task.Delay(500);
            try
            {
                silos = (await InfluxQuery.RowsAsync(_influx.Url, _database, "SHOW TAG VALUES FROM \"monitor\" WITH KEY = \"silo\""))
                    .Select(r => r["value"].GetString()).ToHashSet();
            }
            catch (InvalidOperationException e) when (e.Message.Contains("database not found", StringComparison.Ordinal))
            {
                // The writer creates the database with its first batch, which may not have gone yet.
            }
        }
    }

    private static string Tail(string log, int lines) => string.Join('\n', log.Split('\n').TakeLast(lines));

    private string[] InfluxArguments() => ["--influx", _influx.Url.ToString().TrimEnd('/'), "--influx-db", _database];

    /// <summary>Starts a quench long enough to outlast the trouble and registers it; returns once a few frames are recorded.</summary>
    private async Task<LiveQuench> StartRunAsync(ServerProcess server, string dump)
    {
        var lmp = LiveQuench.Start(_temp.Path, dump); // a frame every ~0.5 s until halted
        var registered = await _http.PostAsJsonAsync(server.Api, new { id = Run, trajectory = dump, checkpoint_every = 1 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await server.WaitForAsync($"/{Run}", r => r["status"]!["frames_processed"]!.GetValue<int>() >= 3);
        return lmp;
    }

    private async Task<int> FramesProcessedAsync(ServerProcess server) =>
        (await server.WaitForAsync($"/{Run}", _ => true))["status"]!["frames_processed"]!.GetValue<int>();

    /// <summary>Halts LAMMPS and waits for the server to record its every frame; returns how many it wrote.</summary>
    private static async Task<int> FinishAsync(LiveQuench lmp, ServerProcess server)
    {
        int frames = await lmp.HaltAsync();
        await server.WaitForAsync($"/{Run}", r => r["status"]!["frames_processed"]!.GetValue<int>() >= frames, TimeSpan.FromMinutes(3));
        return frames;
    }

    /// <summary>
    /// InfluxDB holds one frame_summary point for each of the run's frames: none missing, none twice (a point written
    /// again with the same time overwrites itself, so a second copy would be one with another time).
    /// </summary>
    private async Task AssertEveryFrameOnceAsync(int frames)
    {
        var query = $"SELECT \"frame\", \"sequence\" FROM \"frame_summary\" WHERE \"run\" = '{Run}'";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        List<long> written;
        while (true)
        {
            written = (await InfluxQuery.RowsAsync(_influx.Url, _database, query)).Select(r => r["frame"].GetInt64()).ToList();
            if (written.Count >= frames || DateTime.UtcNow > deadline) break;
            await Task.Delay(500);
        }
        Assert.Equal(Enumerable.Range(0, frames).Select(i => (long)i), written.Order());
    }
}
