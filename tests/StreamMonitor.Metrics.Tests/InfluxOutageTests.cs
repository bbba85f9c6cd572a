using System.Diagnostics;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Metrics.Tests;

/// <summary>
/// InfluxDB going away under the writer: each test starts its own influxd, stops it mid-stream and starts it again on the
/// same data, and finds every point exactly once.
/// </summary>
[Trait("Category", "Slow")]
public class InfluxOutageTests
{
    private static InfluxOptions Options(Uri url, string database, string spill) => new()
    {
        Url = url,
        Database = database,
        SpillDirectory = spill,
        BatchSize = 20,
        BufferCapacity = 60,
        FlushInterval = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task Points_written_while_influxd_is_down_are_spilled_and_replayed_exactly_once()
    {
        using var server = InfluxTestServer.Start();
        using var temp = new TempDirectory();
        const string database = "outage";
        await using var writer = new InfluxWriter(Options(server.Url, database, temp.Path));
        int sequence = 0;
        async Task Write(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(writer.Enqueue(Updates.Summary("run-o", ++sequence)));
                if (i % 10 == 0) await Task.Delay(5);
            }
        }

        await Write(100);
        await writer.FlushAsync();
        server.Stop();
        await Write(150);
        await writer.FlushAsync();
        Assert.True(writer.Stats.Spilled > 0, $"nothing spilled: {writer.Stats}");
        Assert.NotEmpty(Directory.EnumerateFiles(temp.Path));
        server.Resume();
        await Write(50);
        await writer.FlushAsync();
        await WaitEmpty(temp.Path);

        var sequences = (await InfluxQuery.RowsAsync(server.Url, database, "SELECT sequence FROM frame_summary")).Select(r => r["sequence"].GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), sequences.Order());
        Assert.True(writer.Stats.Replayed > 0, $"nothing replayed: {writer.Stats}");
    }

    [Fact]
    public async Task A_new_writer_replays_what_an_earlier_one_spilled_before_its_own_points()
    {
        using var server = InfluxTestServer.Start();
        using var temp = new TempDirectory();
        const string database = "restart";
        server.Stop();
        await using (var first = new InfluxWriter(Options(server.Url, database, temp.Path)))
        {
            for (int i = 1; i <= 45; i++) first.Enqueue(Updates.Summary("run-r", i));
        }
        int spilledFiles = Directory.EnumerateFiles(temp.Path).Count();
        Assert.True(spilledFiles >= 3, $"{spilledFiles} spill files for 45 points in batches of 20");

        server.Resume();
        await using var second = new InfluxWriter(Options(server.Url, database, temp.Path));
        for (int i = 46; i <= 50; i++) second.Enqueue(Updates.Summary("run-r", i));
        await second.FlushAsync();
        await WaitEmpty(temp.Path);

        var sequences = (await InfluxQuery.RowsAsync(server.Url, database, "SELECT sequence FROM frame_summary")).Select(r => r["sequence"].GetInt64());
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), sequences.Order());
        // Its own points queued behind the older spilled ones on disk, so all 50 came by replay, in order.
        Assert.Equal(50, second.Stats.Replayed);
    }

    /// <summary>Waits (at most a minute) until the spill folder is empty: every spilled batch replayed and deleted.</summary>
    private static async Task WaitEmpty(string folder)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.EnumerateFiles(folder).Any())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"spill folder still holds {string.Join(", ", Directory.EnumerateFiles(folder).Select(Path.GetFileName))}");
            await Task.Delay(100);
        }
    }
}
