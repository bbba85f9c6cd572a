using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Storage;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// Every run's latest listing, in run-id order. Runs report each status change and, every few seconds, their progress;
/// a listing is then one call here (see <see cref="ListingRegistryGrain{TListing}"/> for how little it writes).
/// </summary>
public sealed class RunRegistryGrain(
    [PersistentState("registry-v2", RunGrain.StorageName)] IPersistentState<List<RunListing>> saved)
    : ListingRegistryGrain<RunListing>(saved, r => r.RunId), IRunRegistryGrain
{
    public Task Update(RunListing listing)
    {
        Put(listing);
        return Task.CompletedTask;
    }

    public Task Forget(string runId) => RemoveAsync(runId);

    public Task<RunListing?> Get(string runId) => Task.FromResult(Entries.GetValueOrDefault(runId));

    public Task<RunListingPage> List(RunState? state, string? after, int limit)
    {
        if (limit is < 1 or > IRunRegistryGrain.MaxPage)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"a page holds 1 to {IRunRegistryGrain.MaxPage} runs");
        bool Matches(RunListing r) => state is { } s ? r.State == s : r.State != RunState.Removed;
        var page = new List<RunListing>(Math.Min(limit, Entries.Count));
        string? next = null;
        var values = Entries.Values;
        for (int i = after is null ? 0 : SortedLists.FirstAfter(Entries.Keys, id => string.CompareOrdinal(id, after) <= 0); i < values.Count; i++)
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
        Task.FromResult<IReadOnlyList<string>>(Entries.Values.Where(r => r.State.IsLive()).Select(r => r.RunId).ToArray());
}
