using StreamMonitor.Analysis.Committor;
using StreamMonitor.Classification.Committor;
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

    /// <summary>
    /// The committor learnt by a small network from the same shots and candidates (<see cref="CommittorTrainer"/>): its
    /// log-likelihood beside the best linear coordinate's, the inputs it follows most, and its p_B for every point.
    /// </summary>
    public CommittorModelSummary? Model { get; init; }

    /// <summary>Why there is no learnt model; null when there is.</summary>
    public string? ModelNote { get; init; }

    /// <summary>Where to shoot next: of the candidate configurations, the one whose learnt p_B is closest to ½.</summary>
    public CommittorPrediction? Next { get; init; }

    /// <param name="quantities">The candidate quantities; null for every one all points carry that is not constant.</param>
    /// <param name="candidates">Configurations to choose the next shooting point from (e.g. a fresh points manifest); null for the campaign's own.</param>
    /// <param name="model">Whether to learn a committor model (a second or so of training).</param>
    public static CampaignAnalysis Of(CampaignStatus campaign, IReadOnlyList<string>? quantities = null, double confidence = 0.95, int maxTerms = 2,
        IReadOnlyList<ShootingPoint>? candidates = null, bool model = true)
    {
        if (confidence is <= 0 or >= 1) throw new ArgumentException($"the confidence must be between 0 and 1, got {confidence}");
        var latest = campaign.LatestAttempts().ToLookup(s => s.PointId);
        var all = campaign.AllPoints();
        var points = all.Select(point =>
        {
            var shots = latest[point.Id].ToList();
            var estimate = CommittorEstimate.Of(point.Id, shots.Count(s => s.Outcome == ShotOutcome.A), shots.Count(s => s.Outcome == ShotOutcome.B),
                shots.Count(s => s.Outcome == ShotOutcome.Undecided), confidence);
            return (point, estimate);
        }).ToList();
        var inputs = quantities ?? DefaultCandidates(all);
        foreach (var q in inputs)
            if (all.FirstOrDefault(p => !p.Values.ContainsKey(q)) is { } missing)
                throw new ArgumentException($"quantity '{q}' is not among point '{missing.Id}''s values ({string.Join(", ", missing.Values.Keys)})");

        // One row per decided shot, with its point's values: the likelihood is over shots, not points.
        var rows = new List<double[]>();
        var reachedB = new List<bool>();
        foreach (var (point, estimate) in points)
        {
            var values = inputs.Select(q => point.Values[q]).ToArray();
            for (int i = 0; i < estimate.ToA + estimate.ToB; i++)
            {
                rows.Add(values);
                reachedB.Add(i < estimate.ToB);
            }
        }
        IReadOnlyList<ReactionCoordinateFit> fits = [];
        string? note = null;
        if (inputs.Count == 0) note = "no quantity varies between the points";
        else if (!reachedB.Contains(true) || !reachedB.Contains(false)) note = $"a coordinate needs shots that reached each basin ({reachedB.Count(b => !b)} to {campaign.Definition.BasinNames[0]}, {reachedB.Count(b => b)} to {campaign.Definition.BasinNames[1]})";
        else
        {
            fits = LikelihoodReactionCoordinate.Rank(inputs, rows, reachedB, Math.Min(maxTerms, inputs.Count)).Take(ReportedCoordinates).ToArray();
            if (fits.Count == 0) note = "every candidate separates the outcomes perfectly: no finite coordinate (shoot from points nearer the transition)";
        }
        var result = new CampaignAnalysis
        {
            Campaign = campaign.Id,
            BasinA = campaign.Definition.BasinNames[0],
            BasinB = campaign.Definition.BasinNames[1],
            Confidence = confidence,
            Counts = campaign.Counts,
            Points = points.Select(p => PointCommittor.Of(p.point, p.estimate)).ToArray(),
            Histogram = CommittorHistogram.Of(points.Select(p => p.estimate)),
            Candidates = inputs,
            Coordinates = fits,
            CoordinateNote = note,
        };
        if (!model || inputs.Count == 0) return result with { ModelNote = inputs.Count == 0 ? note : "not asked for" };
        var data = points.Where(p => p.estimate.Decided > 0)
            .Select(p => (CommittorInputs.Select(inputs, p.point.Values, p.point.Id), p.estimate.ToA, p.estimate.ToB)).ToArray();
        try
        {
            var learnt = CommittorTrainer.Train(inputs, data);
            var everyPoint = all.Select(p => (p.Id, CommittorInputs.Select(inputs, p.Values, p.Id))).ToArray();
            var choices = (candidates ?? campaign.Definition.Adaptive?.Candidates ?? all).Select(p => (p.Id, CommittorInputs.Select(inputs, p.Values, p.Id)));
            return result with { Model = learnt.Summary(everyPoint), Next = learnt.Next(choices) };
        }
        catch (ArgumentException e)
        {
            return result with { ModelNote = e.Message };
        }
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
