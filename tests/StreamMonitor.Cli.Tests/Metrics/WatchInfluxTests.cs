using System.Globalization;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Metrics;

/// <summary><c>watch --influx</c>: every frame it prints is in the real InfluxDB once, with the values it printed.</summary>
[Trait("Category", "Slow")]
public sealed class WatchInfluxTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Watch_writes_every_frame_it_reports_to_InfluxDB()
    {
        var dump = Lammps.RunQuench(_temp.Path, cells: 4, runSteps: 1000, dumpEvery: 100);
        var database = InfluxTestServer.UniqueDatabase("watch");
        var influx = InfluxTestServer.SharedUrl.ToString().TrimEnd('/');
        var run = StreamMonitorCli.Run("watch", dump, "--json", "--idle-exit", "1", "--run-id", "quench", "--influx", influx, "--influx-db", database);
        Assert.True(run.ExitCode == 0, run.StandardError);
        var printed = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).Where(u => (string?)u["type"] == "summary").Select(u => u["summary"]!).ToList();
        Assert.Equal(11, printed.Count);

        var url = $"{influx}/query?db={database}&q={Uri.EscapeDataString("SELECT \"frame\", \"n_max\", \"crystalline_fraction\" FROM \"frame_summary\" WHERE \"run\" = 'quench'")}";
        var rows = JsonNode.Parse(await _http.GetStringAsync(url))!["results"]![0]!["series"]![0]!["values"]!.AsArray();
        Assert.Equal(printed.Count, rows.Count);
        foreach (var row in rows)
        {
            var frame = printed.Single(p => (long)p["frame"]! == (long)row![1]!);
            Assert.Equal((long)frame["n_max"]!, (long)row![2]!);
            Assert.Equal((double)frame["crystalline_fraction"]!, (double)row[3]!, 12);
        }
    }
}
