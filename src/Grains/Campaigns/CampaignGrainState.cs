using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>What a <see cref="CampaignGrain"/> persists: its definition and every shot attempt.</summary>
[GenerateSerializer]
public sealed class CampaignGrainState
{
    [Id(0)] public CampaignDefinition? Definition { get; set; }
    [Id(1)] public CampaignPhase Phase { get; set; }
    [Id(2)] public string? Reason { get; set; }
    [Id(3)] public List<ShotRecord> Shots { get; set; } = [];
    [Id(4)] public DateTimeOffset? StartedAt { get; set; }
    [Id(5)] public DateTimeOffset? EndedAt { get; set; }
    [Id(6)] public string? StartedBy { get; set; }
    [Id(7)] public List<ShootingPoint> AddedPoints { get; set; } = [];
    [Id(8)] public List<ShotSelection> Selections { get; set; } = [];
}
