namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// How many frames a process summarises at once: one per core. Summaries are CPU-bound, and with more runs than cores
/// letting every run's pipeline compute at once only floods the thread pool that Orleans also runs on, so grain calls,
/// timers and membership probes wait behind frames (a silo that misses its probes is declared dead). Runs beyond the
/// limit wait their turn in order, which costs them nothing they would not have waited anyway.
/// </summary>
public sealed class ComputeSlots(int width) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(width, width);

    /// <summary>One slot per core.</summary>
    public ComputeSlots() : this(Environment.ProcessorCount)
    {
    }

    public int Width { get; } = width > 0 ? width : throw new ArgumentOutOfRangeException(nameof(width), width, "must be positive");

    /// <summary>Runs <paramref name="work"/> in a slot, waiting for one first.</summary>
    public async ValueTask<T> RunAsync<T>(Func<ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
