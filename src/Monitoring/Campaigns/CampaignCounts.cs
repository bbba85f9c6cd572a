namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// How far a campaign got and what stopping committed shots saved: <see cref="StepsRun"/> is what the engines ran,
/// <see cref="StepsAtFullLength"/> what the same shots would have cost run to <c>max_steps</c>.
/// </summary>
public sealed record CampaignCounts
{
    public int Total { get; init; }
    public int Pending { get; init; }
    public int Running { get; init; }
    public int A { get; init; }
    public int B { get; init; }
    public int Undecided { get; init; }
    public int Failed { get; init; }
    public int Cancelled { get; init; }

    /// <summary>Attempts lost (their process went away) and launched again.</summary>
    public int LostAttempts { get; init; }

    public int Concluded => A + B + Undecided + Failed + Cancelled;

    /// <summary>MD steps run by the shots that ended (A, B or undecided).</summary>
    public long StepsRun { get; init; }

    /// <summary>What the same shots would have run without being stopped: each one to the maximum length.</summary>
    public long StepsAtFullLength { get; init; }

    /// <summary>StepsAtFullLength / StepsRun; null before a shot has ended.</summary>
    public double? Saving => StepsRun > 0 ? (double)StepsAtFullLength / StepsRun : null;

    public static CampaignCounts Of(CampaignStatus campaign)
    {
        var latest = campaign.LatestAttempts().ToList();
        var ended = latest.Where(s => s.Outcome is ShotOutcome.A or ShotOutcome.B or ShotOutcome.Undecided && s.StepsRun is not null).ToList();
        return new CampaignCounts
        {
            Total = campaign.Definition.TotalShots,
            Pending = latest.Count(s => s.Outcome == ShotOutcome.Pending) + campaign.Definition.TotalShots - latest.Count,
            Running = latest.Count(s => s.Outcome == ShotOutcome.Running),
            A = latest.Count(s => s.Outcome == ShotOutcome.A),
            B = latest.Count(s => s.Outcome == ShotOutcome.B),
            Undecided = latest.Count(s => s.Outcome == ShotOutcome.Undecided),
            Failed = latest.Count(s => s.Outcome == ShotOutcome.Failed),
            Cancelled = latest.Count(s => s.Outcome == ShotOutcome.Cancelled),
            LostAttempts = campaign.Shots.Count(s => s.Outcome == ShotOutcome.Lost),
            StepsRun = ended.Sum(s => s.StepsRun!.Value),
            StepsAtFullLength = ended.Count * campaign.Definition.MaxSteps,
        };
    }
}
