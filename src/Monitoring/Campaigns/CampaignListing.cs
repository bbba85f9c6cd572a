namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>A campaign's line in the list of campaigns: where it stands, without its shots.</summary>
public sealed record CampaignListing
{
    public required string Id { get; init; }
    public required CampaignPhase Phase { get; init; }
    public required string Directory { get; init; }
    public required CampaignCounts Counts { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    public static CampaignListing Of(CampaignStatus status) => new()
    {
        Id = status.Id, Phase = status.Phase, Directory = status.Definition.Directory, Counts = status.Counts,
        StartedAt = status.StartedAt, EndedAt = status.EndedAt,
    };
}
