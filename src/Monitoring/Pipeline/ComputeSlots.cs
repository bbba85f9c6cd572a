using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// How many frames a process computes on at once: one per core of its <see cref="CoreBudget"/>. Summaries are
/// CPU-bound, and with more runs than cores letting every run's pipeline compute at once only floods the thread pool that
/// Orleans also runs on, so grain calls, timers and membership probes wait behind frames (a silo that misses its probes is
/// declared dead). Runs beyond the limit wait their turn in order, which costs them nothing they would not have waited
/// anyway. The slots draw on the same budget as the parallel loops inside the computes, so a loop only spreads over
/// cores no slot holds.
/// </summary>
public sealed class ComputeSlots : IDisposable
{
    /// <summary>Slots on the process's shared budget (<see cref="CoreBudget.Shared"/>): one per core.</summary>
    public ComputeSlots() : this(CoreBudget.Shared)
    {
    }

    /// <summary>Slots on a budget of their own, <paramref name="width"/> cores wide.</summary>
    public ComputeSlots(int width) : this(new CoreBudget(width > 0 ? width : throw new ArgumentOutOfRangeException(nameof(width), width, "must be positive")))
    {
    }

    public ComputeSlots(CoreBudget budget) => Budget = budget;

    /// <summary>The cores the slots take, and that the computes run in them should borrow from for their loops.</summary>
    public CoreBudget Budget { get; }

    public int Width => Budget.Cores;

    /// <summary>Runs <paramref name="work"/> in a slot, waiting for one first.</summary>
    public async ValueTask<T> RunAsync<T>(Func<ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        await Budget.AcquireSlotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            Budget.ReleaseSlot();
        }
    }

    /// <summary>
    /// Runs CPU-bound <paramref name="work"/> in a slot on the calling thread, waiting for one first.
    /// </summary>
    /// <param name="resuming">
    /// Work of a frame that held a slot before, left it while waiting elsewhere (the shared network) and comes back to
    /// finish: it goes ahead of frames not yet started.
    /// </param>
    public async ValueTask<T> ComputeAsync<T>(Func<T> work, bool resuming = false, CancellationToken cancellationToken = default)
    {
        await Budget.AcquireSlotAsync(resuming, cancellationToken).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            Budget.ReleaseSlot();
        }
    }

    /// <summary>Nothing to release: the budget outlives the slots (the shared one lives as long as the process).</summary>
    public void Dispose()
    {
    }
}
