namespace StreamMonitor.Monitoring;

/// <summary>
/// Numbers a run's updates: each call wraps one summary, event or status change in the next <see cref="RunUpdate"/>,
/// stamped with the time it was recorded. The run grain starts it from its persisted last number; <c>watch</c> from 0.
/// Not thread-safe: one recorder per run.
/// </summary>
public sealed class RunUpdateSequence(string runId, long last = 0, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string RunId { get; } = runId;

    /// <summary>The number of the last update made (0 before the first).</summary>
    public long Last { get; private set; } = last >= 0 ? last : throw new ArgumentOutOfRangeException(nameof(last), last, "must not be negative");

    public RunUpdate Of(FrameSummary summary) => Next() with { Summary = summary };

    public RunUpdate Of(RunEvent e) => Next() with { Event = e };

    public RunUpdate Of(RunStatusChange change) => Next() with { Status = change };

    private RunUpdate Next() => new() { RunId = RunId, Sequence = ++Last, RecordedAt = _clock.GetUtcNow() };
}
