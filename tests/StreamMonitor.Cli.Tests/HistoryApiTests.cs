using StreamMonitor.Core;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Api;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// A run's history over HTTP from a server in this process: the chart series, downsampled and zoomed, and the downloads,
/// which agree with the series and with the contract, row for row.
/// </summary>
[Trait("Category", "Slow")]
public sealed class HistoryApiTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_runs_series_and_downloads_agree_with_each_other_and_the_contract_and_go_with_a_purge()
    {
        const int frames = 101;
        var dump = Lammps.RunQuench(_temp.Path, cells: 3, runSteps: 2000, dumpEvery: 20);
        var options = new ServerOptions
        {
            Port = LoopbackPorts.Next(),
            SiloPort = LoopbackPorts.Next(),
            DataDirectory = _temp.File("data"),
            DataRoots = [_temp.Path],
            EndAfterIdle = TimeSpan.FromSeconds(1),
        };
        await using var app = ServerHost.Create(options);
        await app.StartAsync();
        var registrar = app.Services.GetRequiredService<RunRegistrar>();
        var run = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRunGrain>("quench");
        // A basin the quench enters, for an event among the summaries.
        var config = new RunConfig { TrajectoryPath = dump, CheckpointEvery = 7, RulesJson = """{"basins": [{"name": "B", "bounds": {"n_max": [1, null]}}]}""" };
        await registrar.RegisterAsync("quench", config, Actor.Server);
        var clock = Stopwatch.StartNew();
        while ((await run.GetStatus()).State != RunState.Finished)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the run did not finish");
            await Task.Delay(200);
        }
        var status = await run.GetStatus();
        Assert.Equal(frames, status.FramesProcessed);
        string api = $"http://127.0.0.1:{options.Port}{RunsApi.RunPath("quench")}";

        // Every summary while they fit the budget, up to the run's last update.
        var series = await JsonAsync(api + "/series", "run_series");
        Assert.Equal(status.LastSequence, series["last_sequence"]!.GetValue<long>());
        Assert.Equal(frames, series["total_summaries"]!.GetValue<int>());
        Assert.False(series["downsampled"]!.GetValue<bool>());
        var updates = series["updates"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, frames), updates.Select(u => u!["summary"]!["frame"]!.GetValue<int>()));

        // A small budget keeps the extremes; a zoom keeps to its steps.
        var few = await JsonAsync(api + "/series?points=10", "run_series");
        Assert.True(few["downsampled"]!.GetValue<bool>());
        Assert.InRange(few["updates"]!.AsArray().Count, 1, 10);
        Assert.Equal(updates.Max(NMax), few["updates"]!.AsArray().Max(NMax));
        var zoomed = await JsonAsync(api + "/series?from_step=500&to_step=1000", "run_series");
        Assert.Equal(26, zoomed["total_summaries"]!.GetValue<int>());
        Assert.All(zoomed["updates"]!.AsArray(), u => Assert.InRange(u!["summary"]!["step"]!.GetValue<long>(), 500, 1000));

        // The CSV: a header of stable names and one row per summary, with the series' values.
        using var csv = await _http.GetAsync(api + "/summaries.csv");
        Assert.Equal("quench-summaries.csv", csv.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition.DispositionType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal("", lines[^1]);
        var header = lines[0].Split(',');
        var classes = updates[0]!["summary"]!["class_counts"]!.AsObject().Select(c => c.Key).ToArray();
        Assert.Equal(SummaryCsv.Columns(classes), header);
        var rows = lines[1..^1].Select(l => l.Split(',')).ToArray();
        Assert.Equal(frames, rows.Length);
        string Cell(string[] row, string column) => row[Array.IndexOf(header, column)];
        for (int i = 0; i < frames; i += 25)
        {
            var summary = updates[i]!["summary"]!;
            Assert.Equal(updates[i]!["sequence"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), Cell(rows[i], "sequence"));
            Assert.Equal(summary["n_max"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture), Cell(rows[i], "n_max"));
            Assert.Equal(summary["crystalline_fraction"]!.GetValue<double>(), double.Parse(Cell(rows[i], "crystalline_fraction"), CultureInfo.InvariantCulture));
            Assert.Equal(summary["class_counts"]![classes[0]]!.GetValue<int>().ToString(CultureInfo.InvariantCulture), Cell(rows[i], "class_" + classes[0]));
            Assert.Equal(updates[i]!["recorded_at"]!.GetValue<DateTimeOffset>(), DateTimeOffset.Parse(Cell(rows[i], "recorded_at"), CultureInfo.InvariantCulture));
        }

        // JSON lines: the series' updates, one per line; the events: the series' events.
        using var jsonl = await _http.GetAsync(api + "/summaries.jsonl");
        Assert.Equal("quench-summaries.jsonl", jsonl.Content.Headers.ContentDisposition!.FileName);
        var records = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ContractSchema.Check(records[^1], "run_update");
        Assert.Equal(updates.Select(u => u!.ToJsonString()), records.Select(r => JsonNode.Parse(r)!.ToJsonString()));
        using var events = await _http.GetAsync(api + "/events.json");
        Assert.Equal("quench-events.json", events.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal(["commitment"], series["events"]!.AsArray().Select(e => e!["event"]!["kind"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(series["events"], JsonNode.Parse(await events.Content.ReadAsStringAsync())));

        // Refusals name what is wrong.
        await RefusedAsync(api + "/series?points=0", HttpStatusCode.BadRequest, "points must be 1 to 20000, got 0");
        await RefusedAsync(api + "/series?from_step=10&to_step=5", HttpStatusCode.BadRequest, "from_step (10) must not be after to_step (5)");
        await RefusedAsync($"http://127.0.0.1:{options.Port}/api/runs/nobody/summaries.csv", HttpStatusCode.NotFound, "no run 'nobody'");

        // A purged run's history is gone with it.
        await registrar.RemoveAsync("quench", Actor.Server, purge: true);
        await RefusedAsync(api + "/series", HttpStatusCode.NotFound, "no run 'quench'");
        Assert.Equal(0, await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRunHistoryGrain>("quench").GetLastSequence());
        await app.StopAsync();
    }

    private static int NMax(JsonNode? update) => update!["summary"]!["n_max"]!.GetValue<int>();

    private async Task<JsonNode> JsonAsync(string url, string definition)
    {
        string json = await _http.GetStringAsync(url);
        ContractSchema.Check(json, definition);
        return JsonNode.Parse(json)!;
    }

    private async Task RefusedAsync(string url, HttpStatusCode code, string error)
    {
        using var response = await _http.GetAsync(url);
        Assert.Equal(code, response.StatusCode);
        string json = await response.Content.ReadAsStringAsync();
        ContractSchema.Check(json, "error");
        Assert.Equal(error, JsonNode.Parse(json)!["error"]!.GetValue<string>());
    }
}
