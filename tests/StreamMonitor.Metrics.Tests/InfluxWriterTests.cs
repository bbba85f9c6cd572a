using System.Text.Json;
using StreamMonitor.Monitoring;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Metrics.Tests;

/// <summary>The writer against a real InfluxDB 1.x (influxd on 127.0.0.1): what is written reads back the same.</summary>
[Trait("Category", "Slow")]
public class InfluxWriterTests
{
    private static InfluxOptions Options(Uri url, string database, string spill, int batchSize = 5000) => new()
    {
        Url = url,
        Database = database,
        SpillDirectory = spill,
        BatchSize = batchSize,
        BufferCapacity = Math.Max(batchSize, 100),
        FlushInterval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Every_value_of_summaries_events_and_status_changes_reads_back()
    {
        using var temp = new TempDirectory();
        var database = InfluxTestServer.UniqueDatabase("values");
        var url = InfluxTestServer.SharedUrl;
        var updates = Enumerable.Range(1, 30).Select(i => Updates.Summary("run-a", i)).ToList();
        updates.Add(Updates.Event("run-a", 31));
        updates.Add(Updates.Status("run-a", 32, RunState.Stalled));
        await using (var writer = new InfluxWriter(Options(url, database, temp.Path, batchSize: 7), campaignOf: run => run == "run-a" ? "camp-1" : null))
        {
            foreach (var u in updates) Assert.True(writer.Enqueue(u));
            await writer.FlushAsync();
            Assert.Equal(32, writer.Stats.Written);
            Assert.Equal(0, writer.Stats.Pending);
        }

        var summaries = (await InfluxQuery.RowsAsync(url, database, "SELECT * FROM frame_summary")).ToDictionary(r => r["sequence"].GetInt64());
        Assert.Equal(30, summaries.Count);
        foreach (var update in updates.Where(u => u.Summary is not null))
        {
            var row = summaries[update.Sequence];
            var s = update.Summary!;
            Assert.Equal(RunUpdatePoints.TimestampNs(update), row["time"].GetInt64());
            Assert.Equal("run-a", row["run"].GetString());
            Assert.Equal("camp-1", row["campaign"].GetString());
            Assert.Equal(s.Model, row["model"].GetString());
            Assert.Equal(s.Frame, row["frame"].GetInt64());
            Assert.Equal(s.Step, row["step"].GetInt64());
            Assert.Equal(s.Count, row["count"].GetInt64());
            Assert.Equal(s.Crystalline, row["crystalline"].GetInt64());
            Assert.Equal(s.CrystallineFraction, row["crystalline_fraction"].GetDouble());
            Assert.Equal(s.NMax, row["n_max"].GetInt64());
            Assert.Equal(s.MeanQ6, row["mean_q6"].GetDouble());
            AssertOptional(s.Surface, row, "surface");
            AssertOptional(s.Core, row, "core");
            Assert.Equal(s.LargestRg, row["largest_rg"].GetDouble());
            AssertOptional(s.InterfacePosition, row, "interface_position");
            AssertOptional(s.InterfaceVelocity, row, "interface_velocity");
            Assert.Equal(s.LatencyMs, row["latency_ms"].GetDouble());
            Assert.Equal((double)s.FramesBehind!, row["frames_behind"].GetDouble());
            foreach (var (name, count) in s.ClassCounts)
            {
                Assert.Equal(count, row[$"class_{name}"].GetInt64());
                Assert.Equal((double)count / s.Count, row[$"fraction_{name}"].GetDouble());
            }
        }

        var events = await InfluxQuery.RowsAsync(url, database, "SELECT * FROM run_event");
        var e = Assert.Single(events);
        var sent = updates[30].Event!;
        Assert.Equal(RunUpdatePoints.TimestampNs(updates[30]), e["time"].GetInt64());
        Assert.Equal(("run-a", "nucleation", 31L, sent.Frame, sent.Step, sent.Message),
            (e["run"].GetString(), e["kind"].GetString(), e["sequence"].GetInt64(), e["frame"].GetInt64(), e["step"].GetInt64(), e["message"].GetString()));
        Assert.Equal(120.0, e["value_n_max"].GetDouble());
        Assert.Equal(100.5, e["value_threshold"].GetDouble());

        var status = Assert.Single(await InfluxQuery.RowsAsync(url, database, "SELECT * FROM run_status"));
        Assert.Equal(("run-a", "stalled", 32L, "the file has not grown for 10 min"),
            (status["run"].GetString(), status["state"].GetString(), status["sequence"].GetInt64(), status["reason"].GetString()));
    }

    [Fact]
    public async Task Names_with_commas_spaces_equals_quotes_and_backslashes_round_trip()
    {
        using var temp = new TempDirectory();
        var database = InfluxTestServer.UniqueDatabase("escaping");
        var url = InfluxTestServer.SharedUrl;
        string[] runs = ["run, with=all \"quotes\"", "back\\slash\\x", "a b", "x=y,z"];
        const string className = "solid, \"hex\"=1 a\\b";
        await using (var writer = new InfluxWriter(Options(url, database, temp.Path)))
        {
            for (int i = 0; i < runs.Length; i++)
            {
                var update = Updates.Summary(runs[i], i + 1);
                writer.Enqueue(update with { Summary = update.Summary! with { ClassCounts = new Dictionary<string, int> { [className] = 5 } } });
            }
            await writer.FlushAsync();
        }
        var rows = await InfluxQuery.RowsAsync(url, database, "SELECT * FROM frame_summary");
        Assert.Equal(runs.Order(StringComparer.Ordinal), rows.Select(r => r["run"].GetString()).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(5, r[$"class_{className}"].GetInt64()));
    }

    [Fact]
    public async Task Newlines_in_names_come_back_as_backslash_n_and_in_strings_as_newlines()
    {
        using var temp = new TempDirectory();
        var database = InfluxTestServer.UniqueDatabase("newlines");
        var url = InfluxTestServer.SharedUrl;
        await using (var writer = new InfluxWriter(Options(url, database, temp.Path)))
        {
            writer.Enqueue(Updates.Event("two\nlines", 1));
            await writer.FlushAsync();
        }
        var row = Assert.Single(await InfluxQuery.RowsAsync(url, database, "SELECT * FROM run_event"));
        Assert.Equal("two\\nlines", row["run"].GetString());
        Assert.Equal(Updates.Event("x", 1).Event!.Message, row["message"].GetString());
    }

    [Fact]
    public async Task A_line_InfluxDB_refuses_is_dropped_alone()
    {
        using var temp = new TempDirectory();
        var database = InfluxTestServer.UniqueDatabase("baddata");
        var url = InfluxTestServer.SharedUrl;
        var log = new ListLogger();
        await using var writer = new InfluxWriter(Options(url, database, temp.Path), log);
        writer.Enqueue(new LinePoint("probe", new Dictionary<string, string> { ["k"] = "a" }, new Dictionary<string, object> { ["v"] = 1L }, 1));
        await writer.FlushAsync();
        // "v" is an integer now; a float "v" in the same shard is refused (a field's type cannot change).
        for (int i = 2; i <= 21; i++)
        {
            object value = i == 13 ? 2.5 : (object)(long)i;
            writer.Enqueue(new LinePoint("probe", new Dictionary<string, string> { ["k"] = "a" }, new Dictionary<string, object> { ["v"] = value }, i));
        }
        await writer.FlushAsync();
        Assert.True(writer.Stats.DroppedBad == 1, string.Join('\n', log.Lines));
        Assert.Contains(log.Lines, l => l.Contains("probe,k=a v=2.5 13", StringComparison.Ordinal));
        var times = (await InfluxQuery.RowsAsync(url, database, "SELECT v FROM probe")).Select(r => r["time"].GetInt64());
        Assert.Equal(Enumerable.Range(1, 21).Where(i => i != 13).Select(i => (long)i), times);
    }

    private static void AssertOptional(int? expected, Dictionary<string, JsonElement> row, string field)
    {
        if (expected is null) Assert.False(row.ContainsKey(field), field);
        else Assert.Equal(expected.Value, row[field].GetInt64());
    }

    private static void AssertOptional(double? expected, Dictionary<string, JsonElement> row, string field)
    {
        if (expected is null) Assert.False(row.ContainsKey(field), field);
        else Assert.Equal(expected.Value, row[field].GetDouble());
    }
}
