using StreamMonitor.Contracts.Campaigns;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Storage;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>Every campaign's latest listing, in id order, reported by the campaigns at each change.</summary>
public sealed class CampaignRegistryGrain(
    [PersistentState("campaigns", RunGrain.StorageName)] IPersistentState<List<CampaignListing>> saved)
    : ListingRegistryGrain<CampaignListing>(saved, c => c.Id), ICampaignRegistryGrain
{
    public Task Update(CampaignListing listing)
    {
        Put(listing);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CampaignListing>> List() => Task.FromResult<IReadOnlyList<CampaignListing>>([.. Entries.Values]);

    public Task<IReadOnlyList<string>> Running() =>
        Task.FromResult<IReadOnlyList<string>>(Entries.Values.Where(c => c.Phase == CampaignPhase.Running).Select(c => c.Id).ToArray());
}
