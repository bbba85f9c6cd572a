using StreamMonitor.Classification.Committor;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>Chooses a campaign's next shooting point with a committor network trained on its outcomes so far (<see cref="AdaptiveShooting"/>).</summary>
public static class AdaptiveSelection
{
    /// <summary>
    /// The network trained on every point's decided shots (on from <paramref name="previous"/>'s weights when given) and
    /// the candidate it puts closest to ½; an <see cref="ArgumentException"/> says why there is none yet (too few decided
    /// shots, all in one basin).
    /// </summary>
    public static (CommittorModel Model, ShootingPoint Point, ShotSelection Selection) Choose(CampaignStatus campaign, CommittorModel? previous)
    {
        var adaptive = campaign.Definition.Adaptive ?? throw new InvalidOperationException($"campaign '{campaign.Id}' chooses no points");
        var latest = campaign.LatestAttempts().ToLookup(s => s.PointId);
        var all = campaign.AllPoints();
        var data = all
            .Select(p => (x: CommittorInputs.Select(adaptive.Inputs, p.Values, p.Id), toA: latest[p.Id].Count(s => s.Outcome == ShotOutcome.A), toB: latest[p.Id].Count(s => s.Outcome == ShotOutcome.B)))
            .Where(d => d.toA + d.toB > 0)
            .ToArray();
        var model = previous is null ? CommittorTrainer.Train(adaptive.Inputs, data) : CommittorTrainer.Update(previous, data);
        var taken = all.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var next = model.Next(adaptive.Candidates.Select(c => (c.Id, CommittorInputs.Select(adaptive.Inputs, c.Values, c.Id))), taken)
            ?? throw new ArgumentException("no candidate configuration is left");
        return (model, adaptive.Candidates.First(c => c.Id == next.Id), new ShotSelection
        {
            PointId = next.Id, PredictedPB = next.PB, TrainedOnShots = model.NShots, LogLikelihood = model.LogLikelihood, At = DateTimeOffset.UtcNow,
        });
    }
}
