namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// A campaign's record: its definition and every shot attempt with its outcome. What the campaign grain answers, what the
/// API returns and what is kept in the campaign's folder as <c>campaign.json</c> (<see cref="CampaignRecordFile"/>), so
/// <c>campaign status</c> and <c>campaign analyse</c> read it with or without a server.
/// </summary>
public sealed record CampaignStatus
{
    public required string Id { get; init; }

    public required CampaignPhase Phase { get; init; }

    /// <summary>Why it is in its phase (who cancelled it, ...).</summary>
    public string? Reason { get; init; }

    public required CampaignDefinition Definition { get; init; }

    /// <summary>Every attempt of every launched shot, in launch order, then the pending ones; a lost attempt stays listed beside its relaunch.</summary>
    public required IReadOnlyList<ShotRecord> Shots { get; init; }

    /// <summary>The points the campaign added by itself (<see cref="CampaignDefinition.Adaptive"/>), in the order chosen.</summary>
    public IReadOnlyList<ShootingPoint> AddedPoints { get; init; } = [];

    /// <summary>Why each added point was chosen.</summary>
    public IReadOnlyList<ShotSelection> Selections { get; init; } = [];

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Shots by where they stand, counting each shot's latest attempt once.</summary>
    public CampaignCounts Counts => CampaignCounts.Of(this);

    /// <summary>The definition's points, then those the campaign added.</summary>
    public IReadOnlyList<ShootingPoint> AllPoints() => [.. Definition.Points, .. AddedPoints];

    /// <summary>Each shot's latest attempt (the one that counts).</summary>
    public IEnumerable<ShotRecord> LatestAttempts() =>
        Shots.GroupBy(s => (s.PointId, s.Shot)).Select(g => g.MaxBy(s => s.Attempt)!);
}
