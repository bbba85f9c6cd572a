using StreamMonitor.Contracts.Campaigns;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Storage;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>Every campaign's latest listing, in id order; written at most once per <see cref="WritePeriod"/>, as the run registry is.</summary>
public sealed class CampaignRegistryGrain(
    [PersistentState("campaigns", RunGrain.StorageName)] IPersistentState<List<CampaignListing>> saved) : Grain, ICampaignRegistryGrain
{
    public static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(1);

    private readonly SortedList<string, CampaignListing> _campaigns = new(StringComparer.Ordinal);
    private DeferredWrite? _write;

    private DeferredWrite Write => _write ??= new DeferredWrite(this, async () =>
    {
        saved.State = [.. _campaigns.Values];
        await saved.WriteStateAsync();
    }, WritePeriod);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var listing in saved.State) _campaigns[listing.Id] = listing;
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Write.FlushAsync();

    public Task Update(CampaignListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        _campaigns[listing.Id] = listing;
        Write.Changed();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CampaignListing>> List() => Task.FromResult<IReadOnlyList<CampaignListing>>([.. _campaigns.Values]);

    public Task<IReadOnlyList<string>> Running() =>
        Task.FromResult<IReadOnlyList<string>>(_campaigns.Values.Where(c => c.Phase == CampaignPhase.Running).Select(c => c.Id).ToArray());
}
