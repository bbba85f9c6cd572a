namespace StreamMonitor.Grains.Storage;

/// <summary>
/// A grain that keeps one listing per key (every run's, every campaign's), in key order, reported to it by their owners.
/// Its state is written at most once per <see cref="WritePeriod"/> however many report: a campaign registering thousands
/// of shots costs one write a second, not one per shot. A crash can lose the last second of reports; owners report
/// again whenever they are activated, and a starting server wakes every one listed as live, so an entry left behind
/// heals itself.
/// </summary>
public abstract class ListingRegistryGrain<TListing>(IPersistentState<List<TListing>> saved, Func<TListing, string> keyOf) : Grain
{
    public static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(1);

    private DeferredWrite? _write;

    /// <summary>The listings by key, in ordinal key order.</summary>
    protected SortedList<string, TListing> Entries { get; } = new(StringComparer.Ordinal);

    private DeferredWrite Write => _write ??= new DeferredWrite(this, async () =>
    {
        saved.State = [.. Entries.Values];
        await saved.WriteStateAsync();
    }, WritePeriod);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var listing in saved.State) Entries[keyOf(listing)] = listing;
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Write.FlushAsync();

    /// <summary>Adds or replaces a listing; written within <see cref="WritePeriod"/>.</summary>
    protected void Put(TListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        Entries[keyOf(listing)] = listing;
        Write.Changed();
    }

    /// <summary>Forgets a key and writes at once: an owner that is gone reports nothing more, so an entry a crash brought back would stay.</summary>
    protected async Task RemoveAsync(string key)
    {
        if (!Entries.Remove(key)) return;
        Write.Changed();
        await Write.FlushAsync();
    }
}
