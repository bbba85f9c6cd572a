using StreamMonitor.Grains.Hosting;

namespace StreamMonitor.Grains.Runs;

/// <summary>Silo-wide settings of <see cref="RunGrain"/>s.</summary>
public sealed class RunGrainOptions
{
    /// <summary>Period of the reminder that re-activates a live run, on another silo if its own died.</summary>
    public TimeSpan ResumePeriod { get; set; } = ServerDefaults.ResumePeriod;

    /// <summary>
    /// Updates (summaries, events, status changes) each run keeps for consumers that catch up. They are written with the
    /// run's state at every checkpoint, so this bounds that write as much as the history. (Updates its full history does
    /// not hold yet are kept besides, until it does.)
    /// </summary>
    public int KeptUpdates { get; set; } = 128;
}
