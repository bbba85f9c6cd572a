namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>One attempt at one shot from one point: how it was launched, where it ran and how it ended.</summary>
public sealed record ShotRecord
{
    public required string PointId { get; init; }

    /// <summary>The shot's index among its point's shots (0-based).</summary>
    public required int Shot { get; init; }

    /// <summary>1 for the first launch; a lost shot is launched again as the next attempt, in its own folder.</summary>
    public int Attempt { get; init; } = 1;

    public required string RunId { get; init; }

    public required long Seed { get; init; }

    public required string Directory { get; init; }

    public ShotOutcome Outcome { get; init; } = ShotOutcome.Pending;

    /// <summary>Why it ended as it did (the commitment message, the launch error, ...).</summary>
    public string? Reason { get; init; }

    /// <summary>The local process, with its start time from <c>/proc</c> so a recycled pid is not taken for it.</summary>
    public int? Pid { get; init; }
    public long? PidStartTime { get; init; }

    /// <summary>The batch job the submit command answered with.</summary>
    public string? JobId { get; init; }

    public DateTimeOffset? LaunchedAt { get; init; }

    /// <summary>When the monitor saw it commit (and asked it to stop).</summary>
    public DateTimeOffset? CommittedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>When its engine, committed but still running after the campaign's <c>stop_grace</c>, was sent SIGTERM.</summary>
    public DateTimeOffset? TerminatedAt { get; init; }

    /// <summary>The first frame inside the basin it committed to, and its MD step.</summary>
    public long? CommitFrame { get; init; }
    public long? CommitStep { get; init; }

    /// <summary>MD steps the engine ran (the last recorded frame's step), known once the shot ended.</summary>
    public long? StepsRun { get; init; }

    public long FramesRecorded { get; init; }

    public bool IsConcluded => Outcome is not (ShotOutcome.Pending or ShotOutcome.Running);

    /// <summary>Whether it reached a basin.</summary>
    public bool IsDecided => Outcome is ShotOutcome.A or ShotOutcome.B;
}
