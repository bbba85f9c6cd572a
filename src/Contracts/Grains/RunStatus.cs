using StreamMonitor.Monitoring;
using StreamMonitor.Core;

namespace StreamMonitor.Contracts.Grains;

/// <summary>A run's state as its grain reports it: how far it got and where it resumes from.</summary>
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
}
