using StreamMonitor.Contracts.Grains;

namespace StreamMonitor.Grains.History;

/// <summary>
/// What a <see cref="RunHistoryGrain"/> persists: the index of its chunks, in order. It is written when a chunk is
/// added, so the last (open) chunk's entry may be behind; the chunk itself is the truth and is asked on activation.
/// </summary>
[GenerateSerializer]
public sealed class RunHistoryState
{
    [Id(0)] public List<RunHistoryChunkInfo> Chunks { get; set; } = [];
}
