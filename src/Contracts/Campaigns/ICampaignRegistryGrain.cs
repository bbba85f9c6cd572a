using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Contracts.Campaigns;

/// <summary>Every campaign's latest listing (one grain, key <see cref="Key"/>): what <c>GET /api/campaigns</c> lists and what a starting server wakes.</summary>
public interface ICampaignRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    Task Update(CampaignListing listing);

    Task<IReadOnlyList<CampaignListing>> List();

    /// <summary>The ids of campaigns still running, to wake after a restart.</summary>
    Task<IReadOnlyList<string>> Running();
}
