using StreamMonitor.Core;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>A run's state as its grain reports it: how far it got, where it resumes from, and why it is where it is.</summary>
[GenerateSerializer, Immutable]
public sealed record RunStatus
{
    [Id(0)] public required string RunId { get; init; }

    [Id(1)] public required RunState State { get; init; }

    /// <summary>Frames summarised and recorded (each at most once).</summary>
    [Id(2)] public required long FramesProcessed { get; init; }

    /// <summary>Index of the last recorded frame; null before the first.</summary>
    [Id(3)] public long? LastFrame { get; init; }

    /// <summary>Where the pipeline resumes: the byte offset and index of the next frame; null before the first frame.</summary>
    [Id(4)] public Checkpoint? Checkpoint { get; init; }

    /// <summary>Why the pipeline failed, when it did.</summary>
    [Id(5)] public string? LastError { get; init; }

    [Id(6)] public RunConfig? Config { get; init; }

    /// <summary>The silo the run is active on (Orleans' runtime identity), for operators of a cluster.</summary>
    [Id(7)] public string? Silo { get; init; }

    /// <summary>The sequence number of the run's last update (0 before the first): ask for the updates after it to catch up.</summary>
    [Id(8)] public long LastSequence { get; init; }

    /// <summary>Why the run is in its state (the last status change's reason).</summary>
    [Id(9)] public string? Reason { get; init; }

    /// <summary>The MD step of the last recorded frame.</summary>
    [Id(10)] public long? LastStep { get; init; }

    [Id(11)] public DateTimeOffset? RegisteredAt { get; init; }

    /// <summary>When the run ended (stopped, finished, failed, removed); null while it is live.</summary>
    [Id(12)] public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The lean entry the registry lists for this run.</summary>
    public RunListing ToListing() => new()
    {
        RunId = RunId,
        State = State,
        Reason = Reason,
        Trajectory = Config?.TrajectoryPath,
        Model = Config?.Model,
        FramesProcessed = FramesProcessed,
        LastFrame = LastFrame,
        LastStep = LastStep,
        LastSequence = LastSequence,
        RegisteredAt = RegisteredAt,
        EndedAt = EndedAt,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
