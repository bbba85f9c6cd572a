using StreamMonitor.Contracts.Grains;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Runs;

/// <summary>What a <see cref="RunGrain"/> persists: its configuration and state, where to resume, and bounded recent history.</summary>
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

    /// <summary>
    /// The updates (summaries, events, status changes) the run's history does not hold yet, in sequence order; once it
    /// does they are dropped from here. (State written before held the latest ones too, which a run reads as kept.)
    /// </summary>
    [Id(10)] public List<RunUpdate> Updates { get; set; } = [];

    /// <summary>
    /// Events detected and stops carried out, as state written before held them; no longer written. A run keeps its latest
    /// events apart from its updates, so the frames do not push them out, and reads them back from its history (those
    /// it has not appended yet are in <see cref="Updates"/>).
    /// </summary>
    [Id(11)] public List<RunEvent> Events { get; set; } = [];

    /// <summary>Event kinds that have already triggered a stop rule (each stops the run once).</summary>
    [Id(12)] public List<string> StoppedOn { get; set; } = [];

    /// <summary>The sequence number of the last update recorded.</summary>
    [Id(13)] public long LastSequence { get; set; }

    /// <summary>Why the run is in its state.</summary>
    [Id(14)] public string? Reason { get; set; }

    [Id(15)] public long? LastStep { get; set; }

    [Id(16)] public DateTimeOffset? RegisteredAt { get; set; }

    [Id(17)] public DateTimeOffset? EndedAt { get; set; }

    /// <summary>
    /// The last sequence the run's history (<c>IRunHistoryGrain</c>) is known to hold: the updates after it stay in
    /// <see cref="Updates"/> until they are appended there.
    /// </summary>
    [Id(18)] public long HistoryAppended { get; set; }
}
