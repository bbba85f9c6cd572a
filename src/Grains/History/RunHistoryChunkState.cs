using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.History;

/// <summary>What a <see cref="RunHistoryChunkGrain"/> persists: its updates in sequence order.</summary>
[GenerateSerializer]
public sealed class RunHistoryChunkState
{
    [Id(0)] public List<RunUpdate> Updates { get; set; } = [];
}
