namespace StreamMonitor.Classification.Batching;

/// <summary>When a <see cref="MicroBatcher"/> flushes, and how much it queues. Defaults suit a CPU MLP.</summary>
public sealed record MicroBatcherOptions
{
    private readonly int _maxBatchRows = 4096;
    private readonly TimeSpan _maxDelay = TimeSpan.FromMilliseconds(2);
    private readonly int _queueCapacity = 256;

    /// <summary>A batch is flushed as soon as it holds this many rows (molecules or atoms).</summary>
    public int MaxBatchRows
    {
        get => _maxBatchRows;
        init => _maxBatchRows = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBatchRows), value, "must be at least 1");
    }

    /// <summary>...or when its oldest request has waited this long.</summary>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        init => _maxDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxDelay), value, "must not be negative");
    }

    /// <summary>Requests waiting to be batched; submitters wait (backpressure) when it is full.</summary>
    public int QueueCapacity
    {
        get => _queueCapacity;
        init => _queueCapacity = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(QueueCapacity), value, "must be at least 1");
    }
}
