namespace StreamMonitor.Monitoring;

/// <summary>
/// One item on a run's stream and on the all-runs stream (<see cref="RunStreams"/>): a processed frame's summary or
/// a detected event, in the order the run grain recorded them.
/// </summary>
public sealed record RunUpdate
{
    public required string RunId { get; init; }

    public FrameSummary? Summary { get; init; }

    public RunEvent? Event { get; init; }

    public static RunUpdate Of(FrameSummary summary) => new() { RunId = summary.RunId, Summary = summary };

    public static RunUpdate Of(string runId, RunEvent e) => new() { RunId = runId, Event = e };
}
