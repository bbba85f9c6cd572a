namespace StreamMonitor.Ingest.Tailing;

/// <summary>How a <see cref="TrajectoryTailer"/> reads a file. Every option has a default that suits a local disk.</summary>
public sealed record TailOptions
{
    private readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(250);
    private readonly int _capacity = 4;
    private readonly TimeSpan? _idleTimeout;

    /// <summary>Format of the file; null detects it from content and extension.</summary>
    public TrajectoryFormat? Format { get; init; }

    /// <summary>Keep reading as the file grows (true) or stop at its end (false: a partial last frame is an error).</summary>
    public bool Follow { get; init; }

    /// <summary>
    /// How often the file is checked for growth when no file-system event arrives. With inotify events this is only
    /// a safety net; on Lustre/NFS, where events never come, it sets the latency, so lower it there.
    /// </summary>
    public TimeSpan PollInterval
    {
        get => _pollInterval;
        init => _pollInterval = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(PollInterval), value, "must be positive");
    }

    /// <summary>Wake on inotify events (FileSystemWatcher) as well as polling. Off: polling only.</summary>
    public bool UseFileSystemEvents { get; init; } = true;

    /// <summary>
    /// Frames the channel holds before the reader waits for the consumer. Memory is bounded by this many
    /// frames plus the reader's buffer.
    /// </summary>
    public int ChannelCapacity
    {
        get => _capacity;
        init => _capacity = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ChannelCapacity), value, "must be at least 1");
    }

    /// <summary>While following: finish once no new frame has arrived for this long. Null follows forever.</summary>
    public TimeSpan? IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "must be positive");
    }
}
