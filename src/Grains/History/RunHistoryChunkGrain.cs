using Orleans.Concurrency;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.History;

/// <summary>One bounded piece of a run's history, persisted in the runs' storage (<see cref="RunGrain.StorageName"/>).</summary>
[CollectionAgeLimit(Minutes = 2)] // a full chunk is read again only for charts and downloads; the history caches it meanwhile
public sealed class RunHistoryChunkGrain(
    [PersistentState(RunHistoryChunkGrain.StateName, RunGrain.StorageName)] IPersistentState<RunHistoryChunkState> state) : Grain, IRunHistoryChunkGrain
{
    public const string StateName = "run-history-chunk";

    private List<RunUpdate> Updates => state.State.Updates;

    public async Task<RunHistoryChunkInfo> Append(Immutable<RunUpdate[]> updates)
    {
        long last = Updates.Count > 0 ? Updates[^1].Sequence : 0;
        int before = Updates.Count;
        foreach (var update in updates.Value)
        {
            if (update.Sequence <= last) continue;
            Updates.Add(StorableRecords.Of(update)); // it must read back what it writes, whoever built the update
            last = update.Sequence;
        }
        if (Updates.Count == before) return RunHistoryChunkInfo.Of(Updates);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // What was not written is not held: the caller appends it again.
            Updates.RemoveRange(before, Updates.Count - before);
            DeactivateOnIdle(); // after a conflicting write (another activation), read storage afresh
            throw;
        }
        return RunHistoryChunkInfo.Of(Updates);
    }

    public Task<RunHistoryChunkInfo> GetInfo() => Task.FromResult(RunHistoryChunkInfo.Of(Updates));

    // A copy: the list grows with later appends while the caller holds what it read.
    public Task<Immutable<RunUpdate[]>> Read() => Task.FromResult(Updates.ToArray().AsImmutable());

    public async Task Clear()
    {
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = new RunHistoryChunkState();
        DeactivateOnIdle();
    }
}
