using Orleans.Concurrency;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.History;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Grains.Tests.Runs;
using StreamMonitor.Grains.Tests.Storage;
using StreamMonitor.Monitoring;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.History;

/// <summary>A run's history in real silos: appends that overlap, chunks, restarts, clearing; in SQLite and in Redis.</summary>
[Trait("Category", "Slow")]
public sealed class RunHistoryGrainTests : IDisposable
{
    private readonly TempDirectory _temp = new("streammonitor-history-");

    public void Dispose() => _temp.Dispose();

    private static readonly Action<ISiloBuilder> SmallChunks = Histories.ChunksOf(16);

    [Fact]
    public async Task Overlapping_appends_across_many_chunks_and_a_silo_restart_hold_every_sequence_exactly_once()
    {
        string database = _temp.File("runs.db");
        await using (var silo = await MonitorSilo.StartAsync(database, SmallChunks))
        {
            var history = silo.Grains.GetGrain<IRunHistoryGrain>("long");
            // Batches of uneven sizes, each repeating the end of the one before (as a re-activated run replays).
            long next = 1;
            foreach (int size in new[] { 1, 5, 30, 16, 3, 47, 20 })
            {
                long from = Math.Max(1, next - 4);
                Assert.Equal(next + size - 1, await history.Append(SyntheticUpdates.Range("long", from, next + size - 1).AsImmutable()));
                next += size;
            }
            Assert.Equal(122, await history.GetLastSequence());
        }

        await using (var silo = await MonitorSilo.StartAsync(database, SmallChunks))
        {
            var history = silo.Grains.GetGrain<IRunHistoryGrain>("long");
            Assert.Equal(122, await history.GetLastSequence());
            Assert.Equal(122, await history.Append(SyntheticUpdates.Range("long", 100, 122).AsImmutable())); // all held already
            Assert.Equal(300, await history.Append(SyntheticUpdates.Range("long", 110, 300).AsImmutable()));

            var all = await Histories.AllAsync(history);
            Assert.Equal(Histories.Sequences(1, 300), all.Select(u => u.Sequence));
            Assert.Equal(SyntheticUpdates.Of("long", 123).Summary!.NMax, all[122].Summary!.NMax); // read back intact
            Assert.Equal(SyntheticUpdates.Of("long", 123).RecordedAt, all[122].RecordedAt);
            var events = await Histories.AllAsync(history, RunUpdate.EventType, limit: 2);
            Assert.Equal([50L, 100, 150, 200, 250, 300], events.Select(u => u.Sequence));
            Assert.Equal(294, (await Histories.AllAsync(history, RunUpdate.SummaryType, limit: 1000)).Count);
            // Chunks are persisted apart: ceil(300 / 16) of them, none above its size.
            Assert.Equal(19, SqliteSilo.Scalar(database, $"SELECT COUNT(*) FROM GrainState WHERE StateName = '{RunHistoryChunkGrain.StateName}'"));

            // The latest up to a sequence, across chunk boundaries (16 each: 17..32 is the second), oldest first.
            Assert.Equal(Histories.Sequences(281, 300), (await history.ReadLast(300, 20, null)).Select(u => u.Sequence));
            Assert.Equal(Histories.Sequences(11, 40), (await history.ReadLast(40, 30, null)).Select(u => u.Sequence));
            Assert.Equal(Histories.Sequences(17, 32), (await history.ReadLast(32, 16, null)).Select(u => u.Sequence));
            Assert.Equal(Histories.Sequences(1, 5), (await history.ReadLast(5, 100, null)).Select(u => u.Sequence));
            Assert.Equal(Histories.Sequences(298, 300), (await history.ReadLast(1000, 3, null)).Select(u => u.Sequence));
            Assert.Empty(await history.ReadLast(0, 10, null));
            Assert.Empty(await history.ReadLast(300, 0, null));
            Assert.Equal([200L, 250, 300], (await history.ReadLast(300, 3, RunUpdate.EventType)).Select(u => u.Sequence));
            Assert.Equal([50L, 100], (await history.ReadLast(149, 10, RunUpdate.EventType)).Select(u => u.Sequence));
            Assert.Equal(Histories.Sequences(296, 299), (await history.ReadLast(300, 4, RunUpdate.SummaryType)).Select(u => u.Sequence));

            await history.Clear();
            Assert.Equal(0, await history.GetLastSequence());
            Assert.Empty(await Histories.AllAsync(history));
            Assert.Equal(0, SqliteSilo.Scalar(database, "SELECT COUNT(*) FROM GrainState WHERE StateName LIKE 'run-history%'"));
        }
    }

    [Fact]
    public async Task A_history_in_Redis_is_read_back_whole_by_a_new_silo()
    {
        string name = RedisTestServer.UniqueName("history");
        var settings = new SiloSettings { Redis = RedisTestServer.Endpoint, ServiceId = name, ClusterId = name };
        await using (var silo = await MonitorSilo.StartAsync(settings, SmallChunks))
        {
            var history = silo.Grains.GetGrain<IRunHistoryGrain>(name);
            await history.Append(SyntheticUpdates.Range(name, 1, 40).AsImmutable());
            await history.Append(SyntheticUpdates.Range(name, 30, 70).AsImmutable());
        }
        await using (var silo = await MonitorSilo.StartAsync(settings, SmallChunks))
        {
            var history = silo.Grains.GetGrain<IRunHistoryGrain>(name);
            Assert.Equal(Histories.Sequences(1, 70), (await Histories.AllAsync(history)).Select(u => u.Sequence));
            await history.Clear();
        }
        await using (var silo = await MonitorSilo.StartAsync(settings, SmallChunks))
            Assert.Empty(await Histories.AllAsync(silo.Grains.GetGrain<IRunHistoryGrain>(name)));
    }
}
