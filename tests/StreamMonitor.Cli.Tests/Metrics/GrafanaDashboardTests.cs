using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Metrics;

/// <summary>
/// The Grafana dashboards against what the server really writes: a real <c>serve --influx</c> follows a real LAMMPS
/// crystallization registered as a campaign's shot, and every panel's InfluxQL (Grafana's macros replaced, as Grafana
/// would) returns data from the real <c>influxd</c>. Grafana itself is not packaged here.
/// </summary>
[Trait("Category", "Slow")]
public sealed class GrafanaDashboardTests : IDisposable
{
    private const string RunId = "lj-grafana:f000001:000";

    private static string Influx => InfluxTestServer.SharedUrl.ToString().TrimEnd('/');

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Every_panel_of_every_dashboard_returns_data_written_by_the_server_from_a_real_run()
    {
        // Melted long enough for the seed slab to have a front, so the interface panel has a crystal-liquid interface to
        // show (after the default short melt the box is still one crystal, and whether a fit finds an interface in it
        // depends on the model's noise).
        var dump = Lammps.RunQuench(_temp.Path, cells: 5, runSteps: 2000, dumpEvery: 100, meltSteps: 2000);
        var database = InfluxTestServer.UniqueDatabase("grafana");
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var server = await ServerProcess.StartAsync(_http, _temp.File("data"), extra: ["--data-root", _temp.Path, "--influx", Influx, "--influx-db", database]))
        {
            var rules = JsonNode.Parse("""{ "basins": [ { "name": "A", "bounds": { "n_max": [null, 0] } }, { "name": "B", "bounds": { "n_max": [20, null] } } ] }""");
            var registered = await _http.PostAsJsonAsync(server.Api, new { id = RunId, trajectory = dump, rules, end_after_idle = 2, summary = new { interface_axis = "z", time_per_step = 0.005 } });
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            await server.WaitForAsync($"/{Uri.EscapeDataString(RunId)}", run => (string?)run["status"]?["state"] == "finished", TimeSpan.FromMinutes(2));
            // The writer batches for a second; give it a few.
            await WaitForPointsAsync(database, "SELECT count(\"sequence\") FROM \"frame_summary\"", 21);
            await WaitForPointsAsync(database, "SELECT count(\"value\") FROM \"monitor\"", 1);
        }
        var end = DateTimeOffset.UtcNow.AddMinutes(1);

        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "grafana", "dashboards"), "*.json"))
        {
            var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var variable in dashboard["templating"]!["list"]!.AsArray())
            {
                var values = await QueryAsync(database, (string)variable!["query"]!);
                if (!values.Contains(RunId) && !values.Contains("lj-grafana")) problems.Add($"{Path.GetFileName(file)} variable {variable["name"]}: {string.Join(", ", values)}");
            }
            foreach (var panel in dashboard["panels"]!.AsArray())
                foreach (var target in panel!["targets"]!.AsArray())
                {
                    var query = Grafana((string)target!["query"]!, start, end);
                    var values = await QueryAsync(database, query);
                    if (values.Count == 0) problems.Add($"{Path.GetFileName(file)} panel '{panel["title"]}': no data for {query}");
                }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The query as Grafana sends it: its macros and the dashboards' variables replaced.</summary>
    private static string Grafana(string query, DateTimeOffset start, DateTimeOffset end)
    {
        var replaced = query
            .Replace("$timeFilter", string.Create(CultureInfo.InvariantCulture, $"time >= {start.ToUnixTimeMilliseconds()}ms and time <= {end.ToUnixTimeMilliseconds()}ms"), StringComparison.Ordinal)
            .Replace("$__interval", "1s", StringComparison.Ordinal)
            .Replace("$run", Regex.Escape(RunId), StringComparison.Ordinal)
            .Replace("$campaign", "lj-grafana", StringComparison.Ordinal);
        Assert.DoesNotContain("$", replaced.Replace("$/", "/").Replace("^", ""));
        return replaced;
    }

    private async Task WaitForPointsAsync(string database, string count, int least)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var counts = await QueryAsync(database, count);
            if (counts.Count > 0 && double.Parse(counts[^1], CultureInfo.InvariantCulture) >= least) return;
            await Task.Delay(500);
        }
        Assert.Fail($"InfluxDB did not get {least} points: {count}");
    }

    /// <summary>Every value of every row of every series the query returns, as text; an InfluxQL error fails the test.</summary>
    private async Task<List<string>> QueryAsync(string database, string query)
    {
        var url = $"{Influx}/query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(query)}";
        var result = JsonNode.Parse(await _http.GetStringAsync(url))!["results"]![0]!;
        Assert.True(result["error"] is null, $"{query}: {result["error"]}");
        var values = new List<string>();
        foreach (var series in result["series"]?.AsArray() ?? [])
            foreach (var row in series!["values"]!.AsArray())
                foreach (var value in row!.AsArray().Skip(1))
                    if (value is not null) values.Add(value.ToString());
        return values;
    }
}
