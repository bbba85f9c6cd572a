namespace StreamMonitor.Grains.Runs;

/// <summary>Silo-wide settings of <see cref="RunGrain"/>s.</summary>
public sealed class RunGrainOptions
{
    /// <summary>Period of the reminder that re-activates a followed run, on another silo if its own died.</summary>
    public TimeSpan ResumePeriod { get; set; } = TimeSpan.FromMinutes(1);
}
