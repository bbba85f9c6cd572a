namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// Shooting points the campaign chooses itself as shots finish, in the spirit of AIMMD (Jung et al. 2023): once every
/// planned shot is launched, a committor network is trained on the outcomes so far (and trained on from its last
/// weights at each later choice), and the candidate configuration whose predicted p_B is closest to ½ becomes the next
/// point, with <see cref="ShotsPerPoint"/> shots, until <see cref="Points"/> points have been added.
/// </summary>
public sealed record AdaptiveShooting
{
    /// <summary>Configurations to choose from (a points manifest); those already in the campaign are left out.</summary>
    public required IReadOnlyList<ShootingPoint> Candidates { get; init; }

    /// <summary>How many points to add.</summary>
    public required int Points { get; init; }

    public required int ShotsPerPoint { get; init; }

    /// <summary>The summary quantities the network takes (every candidate and point must carry them).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = ["n_max"];

    public void Validate(IReadOnlyList<ShootingPoint> points)
    {
        if (Points < 1) throw new ArgumentException($"adaptive.points must be at least 1, got {Points}");
        if (ShotsPerPoint < 1) throw new ArgumentException($"adaptive.shots_per_point must be at least 1, got {ShotsPerPoint}");
        if (Inputs.Count == 0) throw new ArgumentException("adaptive.inputs is empty");
        var fresh = Candidates.Count(c => points.All(p => p.Id != c.Id));
        if (fresh < Points) throw new ArgumentException($"adaptive: {Points} points to add but only {fresh} candidates that are not already points");
        foreach (var point in points.Concat(Candidates))
            foreach (var input in Inputs)
                if (!point.Values.ContainsKey(input))
                    throw new ArgumentException($"adaptive.inputs: point '{point.Id}' has no value for '{input}' (it has {string.Join(", ", point.Values.Keys)})");
    }
}
