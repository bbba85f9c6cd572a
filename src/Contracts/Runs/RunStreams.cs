using Orleans.Runtime;

namespace StreamMonitor.Contracts.Runs;

/// <summary>
/// Where run grains publish <see cref="RunUpdate"/>s: one stream per run (namespace <see cref="RunNamespace"/>, key =
/// run id) for a view of one run, and one stream for all runs (the dashboard's overview and the metrics sink), both
/// on the stream provider <see cref="Provider"/>.
/// </summary>
public static class RunStreams
{
    public const string Provider = "runs";

    public const string RunNamespace = "run";

    public const string AllNamespace = "runs";

    public static StreamId OfRun(string runId) => StreamId.Create(RunNamespace, runId);

    public static StreamId AllRuns { get; } = StreamId.Create(AllNamespace, "all");

    /// <summary>Every alert the alert engine raises, and again each time one is acknowledged or snoozed (same id, new state).</summary>
    public static StreamId Alerts { get; } = StreamId.Create("alerts", "all");
}
