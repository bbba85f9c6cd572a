using System.Text.Json.Serialization;

namespace StreamMonitor.Monitoring;

/// <summary>
/// One thing recorded for a run, in the order the run recorded it: a processed frame's summary, a detected event or a
/// status change. <see cref="Sequence"/> numbers a run's updates from 1 without gaps, so a consumer deduplicates by
/// (<see cref="RunId"/>, <see cref="Sequence"/>) and knows what it missed. Published on the run's stream and the
/// all-runs stream, printed by <c>watch --json</c>, served by the API.
/// </summary>
public sealed record RunUpdate
{
    public const string SummaryType = "summary";
    public const string EventType = "event";
    public const string StatusType = "status";

    /// <summary><see cref="SummaryType"/>, <see cref="EventType"/> or <see cref="StatusType"/>: which of the three payloads is set.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => Summary is not null ? SummaryType : Event is not null ? EventType : StatusType;

    public required string RunId { get; init; }

    public required long Sequence { get; init; }

    /// <summary>Wall-clock time at which the run recorded it.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    public FrameSummary? Summary { get; init; }

    public RunEvent? Event { get; init; }

    public RunStatusChange? Status { get; init; }
}
