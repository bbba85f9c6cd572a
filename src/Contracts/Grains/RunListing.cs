using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// A run as the registry lists it: its state and progress, kept up to date by the run itself, so that listing runs
/// (<c>GET /api/runs</c>) is one call to the registry and wakes no run.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunListing
{
    [Id(0)] public required string RunId { get; init; }
    [Id(1)] public required RunState State { get; init; }
    [Id(2)] public string? Reason { get; init; }
    [Id(3)] public string? Trajectory { get; init; }
    [Id(4)] public string? Model { get; init; }
    [Id(5)] public long FramesProcessed { get; init; }
    [Id(6)] public long? LastFrame { get; init; }
    [Id(7)] public long? LastStep { get; init; }
    [Id(8)] public long LastSequence { get; init; }
    [Id(9)] public DateTimeOffset? RegisteredAt { get; init; }
    [Id(10)] public DateTimeOffset? EndedAt { get; init; }

    /// <summary>When the run last reported to the registry.</summary>
    [Id(11)] public DateTimeOffset UpdatedAt { get; init; }
}
