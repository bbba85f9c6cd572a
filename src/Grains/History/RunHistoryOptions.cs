namespace StreamMonitor.Grains.History;

/// <summary>Silo-wide settings of run histories (<see cref="RunHistoryGrain"/>).</summary>
public sealed class RunHistoryOptions
{
    /// <summary>
    /// Updates per chunk: what one append rewrites at most. 256 summaries are about a quarter of a megabyte of state, and a
    /// run of 100,000 frames is 400 chunks.
    /// </summary>
    public int ChunkSize { get; set; } = 256;

    /// <summary>Full chunks a history keeps in memory after reading them, for charts that are drawn again and again.</summary>
    public int CachedChunks { get; set; } = 64;
}
