using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;

namespace StreamMonitor.Grains.Runs;

/// <summary>What a <see cref="RunGrain"/> persists: its configuration, where to resume, and bounded recent history.</summary>
[GenerateSerializer]
public sealed class RunGrainState
{
    [Id(0)] public RunConfig? Config { get; set; }

    [Id(1)] public RunState State { get; set; }

    [Id(2)] public long FramesProcessed { get; set; }

    [Id(3)] public long? LastFrame { get; set; }

    /// <summary>The checkpoint after the last recorded frame (kept as plain fields so any storage serializer can read it back).</summary>
    [Id(4)] public string? CheckpointPath { get; set; }
    [Id(5)] public long CheckpointByteOffset { get; set; }
    [Id(6)] public long CheckpointFrameIndex { get; set; }
    [Id(7)] public ulong? CheckpointDevice { get; set; }
    [Id(8)] public ulong? CheckpointInode { get; set; }

    [Id(9)] public string? LastError { get; set; }

    [Id(10)] public List<FrameSummary> RecentSummaries { get; set; } = [];

    [Id(11)] public List<RunEvent> Events { get; set; } = [];

    /// <summary>Event kinds that have already triggered a stop rule (each stops the run once).</summary>
    [Id(12)] public List<string> StoppedOn { get; set; } = [];

    /// <summary>The pipeline came to its end (idle timeout or failure): the run is no longer followed, whatever its state.</summary>
    [Id(13)] public bool Ended { get; set; }

    /// <summary>The sequence number of the last update recorded.</summary>
    [Id(14)] public long LastSequence { get; set; }
}
