namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// How long a run may go without a new frame before <see cref="StallDetector"/> calls it stalled:
/// <see cref="Multiple"/> times the median interval between frame arrivals once <see cref="MinimumIntervals"/> are
/// known, never less than <see cref="Minimum"/>, and <see cref="Initial"/> before then. Arrivals, not simulation
/// time, because a stall is the engine (or the file system, or the job) stopping, which only the wall clock sees.
/// </summary>
public sealed record StallOptions
{
    /// <summary>
    /// Timeout in units of the median arrival interval. 5: MD output is regular (a dump every N steps), and a run
    /// whose neighbour lists, checkpoints or I/O slow one frame to twice or three times its usual interval is not
    /// stalled; five is clearly out of line.
    /// </summary>
    public double Multiple { get; init; } = 5;

    /// <summary>
    /// Floor of the timeout. 10 s: a reader catching up on a file that already holds frames sees them milliseconds
    /// apart, and without a floor the first ordinary wait after catching up would read as a stall.
    /// </summary>
    public TimeSpan Minimum { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Timeout until <see cref="MinimumIntervals"/> intervals are known. 60 s, not the floor's 10 s: big systems
    /// on clusters dump every few tens of seconds, and their second frame must not be called a stall, while a run
    /// that died after its first frame should still be noticed within a minute.
    /// </summary>
    public TimeSpan Initial { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Arrival intervals needed before the median is trusted. 3: one odd interval does not set the pace.</summary>
    public int MinimumIntervals { get; init; } = 3;

    /// <summary>How many recent intervals the median is taken over. 32: follows a run that changes its pace, stays small to store.</summary>
    public int Window { get; init; } = 32;

    public void Validate()
    {
        OptionChecks.Positive(Multiple, "multiple");
        if (Multiple < 1) throw new ArgumentException($"multiple must be at least 1 (a timeout shorter than the usual interval calls every frame late), got {OptionChecks.Show(Multiple)}");
        OptionChecks.Positive(Minimum, "minimum_seconds");
        OptionChecks.Positive(Initial, "initial_seconds");
        OptionChecks.AtLeastOne(MinimumIntervals, "minimum_intervals");
        OptionChecks.AtLeastOne(Window, "window");
        if (Window < MinimumIntervals) throw new ArgumentException($"window ({Window}) must hold at least minimum_intervals ({MinimumIntervals})");
    }
}
