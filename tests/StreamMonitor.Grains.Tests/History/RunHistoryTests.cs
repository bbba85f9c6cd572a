using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.History;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Tests.Runs;
using StreamMonitor.Grains.Tests.Storage;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.History;

/// <summary>A run grain following a growing LAMMPS dump fills its history; reads of it reach the run's latest update.</summary>
[Trait("Category", "Slow")]
public sealed class RunHistoryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new("streammonitor-run-history-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_run_appends_what_it_persists_across_a_restart_and_its_series_merges_history_with_kept_updates_until_a_purge()
    {
        var (frames, growing, database) = Quench(written: 5);
        // Rarely persisted, so that the latest summaries are only in the run's kept updates; small chunks, so that there are several.
        var config = new RunConfig { TrajectoryPath = growing, CheckpointEvery = 100 };
        var smallChunks = Histories.ChunksOf(4);

        long before;
        await using (var silo = await MonitorSilo.StartAsync(database, smallChunks))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("kept");
            await run.Register(config, Actor.Server);
            before = (await WaitAsync(() => run.GetStatus(), s => s.FramesProcessed == 5)).LastSequence;
        } // the run persists what it recorded as its silo stops

        File.AppendAllText(growing, string.Concat(frames.Skip(5)));
        await using (var silo = await MonitorSilo.StartAsync(database, smallChunks))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("kept");
            var history = silo.Grains.GetGrain<IRunHistoryGrain>("kept");
            var status = await WaitAsync(() => run.GetStatus(), s => s.FramesProcessed == frames.Count);
            // What the first silo persisted reaches the history (appended on the way down, or by the run's next activation) ...
            long held = await WaitAsync(() => history.GetLastSequence(), last => last >= before);
            Assert.Equal(Histories.Sequences(1, held), (await Histories.AllAsync(history)).Select(u => u.Sequence));
            // ... and what was recorded since is not all persisted yet: the run keeps it.
            Assert.True(held < status.LastSequence, $"the history holds {held} of {status.LastSequence}");

            var reader = new RunHistoryReader(silo.Grains);
            var all = await ToListAsync(reader.ReadAsync("kept", null));
            Assert.Equal(Histories.Sequences(1, status.LastSequence), all.Select(u => u.Sequence));

            var series = await reader.SeriesAsync("kept", new RunSeriesQuery());
            ContractSchema.Check(JsonSerializer.Serialize(series, ContractJson.Options), "run_series");
            Assert.Equal(status.LastSequence, series.LastSequence);
            Assert.False(series.Downsampled);
            Assert.Equal(frames.Count, series.TotalSummaries);
            Assert.Equal(Enumerable.Range(0, frames.Count).Select(i => (long)i), series.Updates.Select(u => u.Summary!.Frame));
            Assert.Equal(all.Where(u => u.Summary is not null).Select(u => u.Sequence), series.Updates.Select(u => u.Sequence));

            var zoomed = await reader.SeriesAsync("kept", new RunSeriesQuery { Points = 3, FromStep = 300, ToStep = 800 });
            Assert.True(zoomed.Downsampled);
            Assert.Equal(6, zoomed.TotalSummaries);
            Assert.InRange(zoomed.Updates.Count, 1, 3);
            Assert.All(zoomed.Updates, u => Assert.InRange(u.Summary!.Step, 300, 800));

            await run.Remove(Actor.Server, purge: true);
            Assert.Equal(0, await history.GetLastSequence());
            Assert.Empty(await ToListAsync(reader.ReadAsync("kept", null)));
            Assert.Equal(0, SqliteSilo.Scalar(database, "SELECT COUNT(*) FROM GrainState WHERE StateName LIKE 'run-history%'"));
        }
    }

    [Fact]
    public async Task A_live_run_appends_its_history_in_batches_that_readers_do_not_notice_and_the_rest_as_it_ends()
    {
        var (frames, growing, database) = Quench();
        // Every frame persisted (the default), but a batch larger than the whole run.
        await using var silo = await MonitorSilo.StartAsync(database, silo => silo.Services.Configure<RunGrainOptions>(o => o.HistoryBatch = 1000));
        var run = silo.Grains.GetGrain<IRunGrain>("batched");
        var history = silo.Grains.GetGrain<IRunHistoryGrain>("batched");
        var config = new RunConfig { TrajectoryPath = growing, Stop = StopSpec.ForFile(_temp.File("STOP")), EndAfterStop = TimeSpan.FromSeconds(1) };
        await run.Register(config, Actor.Server);
        var live = await WaitAsync(() => run.GetStatus(), s => s.FramesProcessed == frames.Count);

        // Live: nothing appended yet, which a reader does not notice (it merges what the run keeps).
        Assert.Equal(0, await history.GetLastSequence());
        var reader = new RunHistoryReader(silo.Grains);
        Assert.Equal(Histories.Sequences(1, live.LastSequence), (await ToListAsync(reader.ReadAsync("batched", null))).Select(u => u.Sequence));
        Assert.Equal(frames.Count, (await reader.SeriesAsync("batched", new RunSeriesQuery())).TotalSummaries);

        // Ended (stopped once its file stayed put): the rest is appended at once, the batch not full and the run still active.
        await run.Stop(Actor.Server);
        var ended = await WaitAsync(() => run.GetStatus(), s => s.State == RunState.Stopped);
        long held = await WaitAsync(() => history.GetLastSequence(), last => last == ended.LastSequence);
        Assert.Equal(Histories.Sequences(1, held), (await Histories.AllAsync(history)).Select(u => u.Sequence));
    }

    [Fact]
    public async Task A_silo_stopping_under_a_live_run_leaves_the_unappended_updates_to_the_next_activation_and_logs_no_failure()
    {
        var (frames, growing, database) = Quench();
        var logs = new RecordingLoggerProvider(LogLevel.Warning);
        long last;
        await using (var silo = await MonitorSilo.StartAsync(database, silo =>
                     {
                         silo.Services.Configure<RunGrainOptions>(o => o.HistoryBatch = 1000);
                         silo.Services.AddSingleton<ILoggerProvider>(logs);
                     }))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("stopped-under");
            await run.Register(new RunConfig { TrajectoryPath = growing }, Actor.Server);
            last = (await WaitAsync(() => run.GetStatus(), s => s.FramesProcessed == frames.Count)).LastSequence;
            Assert.Equal(0, await silo.Grains.GetGrain<IRunHistoryGrain>("stopped-under").GetLastSequence());
        }
        // With the silo going, the history may have no silo left to live on: appending then would only fail.
        Assert.DoesNotContain(logs.Entries, e => e.Contains("history", StringComparison.OrdinalIgnoreCase));

        await using (var silo = await MonitorSilo.StartAsync(database))
        {
            var history = silo.Grains.GetGrain<IRunHistoryGrain>("stopped-under");
            await silo.Grains.GetGrain<IRunGrain>("stopped-under").GetStatus();
            long held = await WaitAsync(() => history.GetLastSequence(), l => l >= last);
            Assert.Equal(Histories.Sequences(1, held), (await Histories.AllAsync(history)).Select(u => u.Sequence));
        }
    }

    [Fact]
    public async Task A_run_persists_only_the_updates_its_history_lacks_and_a_new_activation_reads_the_kept_rest_back()
    {
        var (frames, growing, database) = Quench();
        // Fewer kept than the run records, and small batches, so that most of what is kept is in the history alone.
        Action<ISiloBuilder> small = silo => silo.Services.Configure<RunGrainOptions>(o => (o.KeptUpdates, o.HistoryBatch) = (6, 2));

        RunUpdatePage kept;
        IReadOnlyList<FrameSummary> recent;
        IReadOnlyList<RunEvent> events;
        await using (var silo = await MonitorSilo.StartAsync(database, small))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("lean");
            // An event at the first frame, long out of the kept updates by the end.
            var rules = """{ "nucleation": { "threshold": 1, "consecutive": 1, "growth": null } }""";
            await run.Register(new RunConfig { TrajectoryPath = growing, RulesJson = rules }, Actor.Server);
            var status = await WaitAsync(() => run.GetStatus(), s => s.FramesProcessed == frames.Count);
            await WaitAsync(() => silo.Grains.GetGrain<IRunHistoryGrain>("lean").GetLastSequence(), held => held >= status.LastSequence - 2);
            kept = await run.GetUpdates(0, 1000);
            recent = await run.GetRecentSummaries();
            events = await run.GetEvents();
        }
        Assert.Equal(Histories.Sequences(kept.LastSequence - 5, kept.LastSequence), kept.Updates.Select(u => u.Sequence));
        Assert.Contains(events, e => e.Kind == RunEventKinds.Nucleation);
        Assert.DoesNotContain(kept.Updates, u => u.Event?.Kind == RunEventKinds.Nucleation);

        // What storage holds: the cursor of the history and the few updates after it, not the six kept nor the events.
        var (appended, persisted, persistedEvents) = PersistedRun(database, "lean");
        Assert.Equal(0, persistedEvents);
        Assert.True(appended >= kept.LastSequence - 2, $"the history holds {appended} of {kept.LastSequence}");
        Assert.InRange(persisted.Count, 0, 2);
        Assert.All(persisted, sequence => Assert.True(sequence > appended, $"update {sequence} is persisted though the history holds it"));

        await using (var silo = await MonitorSilo.StartAsync(database, small))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("lean");
            var again = await run.GetUpdates(0, 1000);
            Assert.Equal(kept.Updates.Select(u => u.Sequence), again.Updates.Select(u => u.Sequence));
            Assert.Equal(kept.Updates.Select(u => u.Type), again.Updates.Select(u => u.Type));
            Assert.Equal((kept.FirstKept, kept.LastSequence), (again.FirstKept, again.LastSequence));
            Assert.Equal(recent.Select(s => (s.Frame, s.Crystalline, s.NMax)), (await run.GetRecentSummaries()).Select(s => (s.Frame, s.Crystalline, s.NMax)));
            Assert.Equal(events.Select(e => (e.Kind, e.Frame, e.Message)), (await run.GetEvents()).Select(e => (e.Kind, e.Frame, e.Message)));
        }
    }

    /// <summary>The run's persisted history cursor, the sequences of the updates persisted with its state and its count of events there, read from the database.</summary>
    private static (long Appended, List<long> Sequences, int Events) PersistedRun(string database, string runId)
    {
        using var connection = SqliteSilo.OpenDirect(database);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Payload FROM GrainState WHERE StateName = '{RunGrain.StateName}' AND GrainId LIKE '%{runId}'";
        var payload = (byte[])command.ExecuteScalar()!;
        using var json = JsonDocument.Parse(payload);
        var root = json.RootElement;
        static JsonElement List(JsonElement list) => list.ValueKind == JsonValueKind.Object ? list.GetProperty("$values") : list;
        var updates = List(root.GetProperty(nameof(RunGrainState.Updates)));
        return (root.GetProperty(nameof(RunGrainState.HistoryAppended)).GetInt64(),
            updates.EnumerateArray().Select(u => u.GetProperty(nameof(RunUpdate.Sequence)).GetInt64()).ToList(),
            List(root.GetProperty(nameof(RunGrainState.Events))).GetArrayLength());
    }

    /// <summary>
    /// The frames of a short real quench (11 of 3×3×3 cells), the first <paramref name="written"/> of them (all when null)
    /// already in the growing file a run follows; and where the silos keep their state.
    /// </summary>
    private (List<string> Frames, string Growing, string Database) Quench(int? written = null)
    {
        var frames = Lammps.SplitFrames(File.ReadAllText(Lammps.RunQuench(_temp.Path, cells: 3, runSteps: 1000, dumpEvery: 100)));
        string growing = _temp.File("growing.lammpstrj");
        File.WriteAllText(growing, string.Concat(frames.Take(written ?? frames.Count)));
        return (frames, growing, _temp.File("runs.db"));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            Assert.True(clock.Elapsed < Patience, $"not done after {Patience.TotalSeconds} s: {value}");
            await Task.Delay(100);
        }
    }
}
