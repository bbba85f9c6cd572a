using StreamMonitor.Analysis.Committor;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// What a campaign's outcomes say: p_B per shooting point with its interval, the committor histogram of the points
/// whose interval holds ½, and reaction coordinates fitted by likelihood maximisation over the points' summary values,
/// best BIC first. <c>campaign analyse</c> prints it and <c>GET /api/campaigns/{id}/analysis</c> returns it.
/// </summary>
public sealed record CampaignAnalysis
{
    /// <summary>The coordinates reported, best BIC first.</summary>
    public const int ReportedCoordinates = 5;

    public required string Campaign { get; init; }
    public required string BasinA { get; init; }
    public required string BasinB { get; init; }
    public required double Confidence { get; init; }
    public required CampaignCounts Counts { get; init; }
    public required IReadOnlyList<PointCommittor> Points { get; init; }
    public required CommittorHistogram Histogram { get; init; }

    /// <summary>The quantities coordinates were built from.</summary>
    public required IReadOnlyList<string> Candidates { get; init; }

    public required IReadOnlyList<ReactionCoordinateFit> Coordinates { get; init; }

    /// <summary>Why there is no coordinate (too few decided shots, every shot ending in one basin, ...); null when there are.</summary>
    public string? CoordinateNote { get; init; }

    /// <param name="quantities">The candidate quantities; null for every one all points carry that is not constant.</param>
    public static CampaignAnalysis Of(CampaignStatus campaign, IReadOnlyList<string>? quantities = null, double confidence = 0.95, int maxTerms = 2)
    {
        if (confidence is <= 0 or >= 1) throw new ArgumentException($"the confidence must be between 0 and 1, got {confidence}");
        var latest = campaign.LatestAttempts().ToLookup(s => s.PointId);
        var points = campaign.Definition.Points.Select(point =>
        {
            var shots = latest[point.Id].ToList();
            var estimate = CommittorEstimate.Of(point.Id, shots.Count(s => s.Outcome == ShotOutcome.A), shots.Count(s => s.Outcome == ShotOutcome.B),
                shots.Count(s => s.Outcome == ShotOutcome.Undecided), confidence);
            return (point, estimate);
        }).ToList();
        var candidates = quantities ?? DefaultCandidates(campaign.Definition.Points);
        foreach (var q in candidates)
            if (campaign.Definition.Points.FirstOrDefault(p => !p.Values.ContainsKey(q)) is { } missing)
                throw new ArgumentException($"quantity '{q}' is not among point '{missing.Id}''s values ({string.Join(", ", missing.Values.Keys)})");

        // One row per decided shot, with its point's values: the likelihood is over shots, not points.
        var rows = new List<double[]>();
        var reachedB = new List<bool>();
        foreach (var (point, estimate) in points)
        {
            var values = candidates.Select(q => point.Values[q]).ToArray();
            for (int i = 0; i < estimate.ToA + estimate.ToB; i++)
            {
                rows.Add(values);
                reachedB.Add(i < estimate.ToB);
            }
        }
        IReadOnlyList<ReactionCoordinateFit> fits = [];
        string? note = null;
        if (candidates.Count == 0) note = "no quantity varies between the points";
        else if (!reachedB.Contains(true) || !reachedB.Contains(false)) note = $"a coordinate needs shots that reached each basin ({reachedB.Count(b => !b)} to {campaign.Definition.BasinNames[0]}, {reachedB.Count(b => b)} to {campaign.Definition.BasinNames[1]})";
        else
        {
            fits = LikelihoodReactionCoordinate.Rank(candidates, rows, reachedB, Math.Min(maxTerms, candidates.Count)).Take(ReportedCoordinates).ToArray();
            if (fits.Count == 0) note = "every candidate separates the outcomes perfectly: no finite coordinate (shoot from points nearer the transition)";
        }
        return new CampaignAnalysis
        {
            Campaign = campaign.Id,
            BasinA = campaign.Definition.BasinNames[0],
            BasinB = campaign.Definition.BasinNames[1],
            Confidence = confidence,
            Counts = campaign.Counts,
            Points = points.Select(p => PointCommittor.Of(p.point, p.estimate)).ToArray(),
            Histogram = CommittorHistogram.Of(points.Select(p => p.estimate)),
            Candidates = candidates,
            Coordinates = fits,
            CoordinateNote = note,
        };
    }

    /// <summary>The quantities every point carries and that differ between points (the atom count does not make a coordinate).</summary>
    private static IReadOnlyList<string> DefaultCandidates(IReadOnlyList<ShootingPoint> points)
    {
        if (points.Count == 0) return [];
        return points[0].Values.Keys
            .Where(q => q != SummaryQuantities.Count && points.All(p => p.Values.ContainsKey(q)))
            .Where(q => points.Select(p => p.Values[q]).Distinct().Count() > 1)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
