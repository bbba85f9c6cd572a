using StreamMonitor.Grains.Hosting;

namespace StreamMonitor.Grains.Runs;

/// <summary>Silo-wide settings of <see cref="RunGrain"/>s.</summary>
public sealed class RunGrainOptions
{
    /// <summary>Period of the reminder that re-activates a live run, on another silo if its own died.</summary>
    public TimeSpan ResumePeriod { get; set; } = ServerDefaults.ResumePeriod;

    /// <summary>
    /// Updates (summaries, events, status changes) each run keeps for consumers that catch up and for its detectors to
    /// replay when it is activated again. Only those its history does not hold yet are written with the run's state at
    /// each checkpoint (kept besides, if more, until it does); a new activation reads the others back from the history.
    /// </summary>
    public int KeptUpdates { get; set; } = 128;

    /// <summary>
    /// Updates a live run persists before it appends them to its history, in one append. Each append rewrites the history's
    /// latest chunk (<see cref="History.RunHistoryOptions.ChunkSize"/> updates at most), so appending every frame rewrote
    /// half a chunk per frame on average. Nothing waits for the batch: the updates are persisted with the run's state, and
    /// readers of the history merge the run's kept updates (<see cref="History.RunHistoryReader"/>). A run that ends, or
    /// is deactivated, appends at once.
    /// </summary>
    public int HistoryBatch
    {
        get => _historyBatch;
        set => _historyBatch = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(HistoryBatch), value, "must be at least 1");
    }

    private int _historyBatch = 32;
}
