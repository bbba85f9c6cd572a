using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Storage;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// Every run's latest listing, in run-id order. Runs report each status change and, every few seconds, their progress;
/// a listing is then one call here. The state is written at most once per <see cref="WritePeriod"/> (and on
/// deactivation), however many runs report: a campaign registering thousands of shots costs one write a second, not
/// one per shot. A silo crash can lose the last second of reports; each run reports again whenever it is activated,
/// and a starting server wakes every run listed as live, so an entry left behind heals itself.
/// </summary>
public sealed class RunRegistryGrain(
    [PersistentState("registry-v2", RunGrain.StorageName)] IPersistentState<List<RunListing>> saved) : Grain, IRunRegistryGrain
{
    public static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(1);

    private readonly SortedList<string, RunListing> _runs = new(StringComparer.Ordinal);
    private DeferredWrite? _write;

    private DeferredWrite Write => _write ??= new DeferredWrite(this, async () =>
    {
        saved.State = [.. _runs.Values];
        await saved.WriteStateAsync();
    }, WritePeriod);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var listing in saved.State) _runs[listing.RunId] = listing;
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Write.FlushAsync();

    public Task Update(RunListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        _runs[listing.RunId] = listing;
        Write.Changed();
        return Task.CompletedTask;
    }

    public async Task Forget(string runId)
    {
        if (!_runs.Remove(runId)) return;
        // At once: a purged run reports nothing more, so an entry a crash brought back would stay.
        Write.Changed();
        await Write.FlushAsync();
    }

    public Task<RunListing?> Get(string runId) => Task.FromResult(_runs.GetValueOrDefault(runId));

    public Task<RunListingPage> List(RunState? state, string? after, int limit)
    {
        if (limit is < 1 or > IRunRegistryGrain.MaxPage)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"a page holds 1 to {IRunRegistryGrain.MaxPage} runs");
        bool Matches(RunListing r) => state is { } s ? r.State == s : r.State != RunState.Removed;
        var page = new List<RunListing>(Math.Min(limit, _runs.Count));
        string? next = null;
        var values = _runs.Values;
        for (int i = after is null ? 0 : SortedLists.FirstAfter(_runs.Keys, id => string.CompareOrdinal(id, after) <= 0); i < values.Count; i++)
        {
            if (!Matches(values[i])) continue;
            if (page.Count == limit)
            {
                next = page[^1].RunId;
                break;
            }
            page.Add(values[i]);
        }
        return Task.FromResult(new RunListingPage { Runs = page, Next = next, Total = values.Count(Matches) });
    }

    public Task<IReadOnlyList<string>> Live() =>
        Task.FromResult<IReadOnlyList<string>>(_runs.Values.Where(r => r.State.IsLive()).Select(r => r.RunId).ToArray());
}
