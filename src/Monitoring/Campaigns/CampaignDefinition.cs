using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// A shooting campaign as the server keeps it (paths absolute, defaults filled in): from each <see cref="Points"/>
/// configuration, <see cref="ShotsPerPoint"/> shots are launched with the server's launch command
/// <see cref="Launch"/>, each watched as a run that stops as soon as it commits to one of the two basins of
/// <see cref="Rules"/>. Read from a campaign file by <see cref="CampaignFile"/>.
/// </summary>
public sealed record CampaignDefinition
{
    /// <summary>The most shots a campaign may hold (points × shots per point).</summary>
    public const int MaxShots = 100_000;

    public required string Id { get; init; }

    /// <summary>The shots' event rules as JSON: the two basins (A first, B second) and the commitment options.</summary>
    public required string Rules { get; init; }

    /// <summary>The basins' names, A then B: p_B is the share of decided shots that reached the second.</summary>
    public required IReadOnlyList<string> BasinNames { get; init; }

    public required IReadOnlyList<ShootingPoint> Points { get; init; }

    public required int ShotsPerPoint { get; init; }

    /// <summary>The name of a launch command the server was configured with.</summary>
    public required string Launch { get; init; }

    /// <summary>The campaign's folder: shot folders, and the campaign's own record <c>campaign.json</c>.</summary>
    public required string Directory { get; init; }

    /// <summary>A shot's folder under <see cref="Directory"/>, with <c>{point}</c> and <c>{shot}</c>.</summary>
    public string Layout { get; init; } = "{point}/shot-{shot}";

    /// <summary>The trajectory file a shot writes in its folder.</summary>
    public string Trajectory { get; init; } = "dump.lammpstrj";

    public string? Format { get; init; }

    public string Model { get; init; } = "lj";

    /// <summary>The longest a shot runs, in MD steps: one that has not committed by then is undecided.</summary>
    public required long MaxSteps { get; init; }

    /// <summary>How many shots run at once.</summary>
    public int Concurrent { get; init; } = 2;

    /// <summary>Every shot's velocity seed is drawn from this, its point, index and attempt: the same campaign draws the same seeds.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>A shot's run ends once its file has not grown for this long (its engine is gone or stuck).</summary>
    public TimeSpan EndAfterIdle { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a committed local shot's engine may take to act on its stop file before it is sent SIGTERM (an input
    /// without <c>fix halt</c>, a stuck engine): the shot's CPU is what stopping it saves.
    /// </summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a lost shot is launched before it is recorded as failed.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Points the campaign adds by itself as shots finish; null for none.</summary>
    public AdaptiveShooting? Adaptive { get; init; }

    /// <summary>The folder its relative paths were taken from (the campaign file's): launch commands get it as <c>{base}</c>, for inputs beside the file.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Where the definition came from (the campaign file), for people reading the record.</summary>
    public string? Source { get; init; }

    /// <summary>Every shot planned: the points' and those of the points it will add.</summary>
    public int TotalShots => Points.Count * ShotsPerPoint + (Adaptive is { } a ? a.Points * a.ShotsPerPoint : 0);

    /// <summary>Checks every field; the <see cref="ArgumentException"/> names it.</summary>
    public void Validate()
    {
        RunIds.Validate(Id);
        if (BasinNames.Count != 2) throw new ArgumentException($"basins: a campaign needs exactly two basins (A, then B), got {BasinNames.Count}");
        var rules = EventRules.Parse(Rules, "basins");
        rules.Validate();
        if (Points.Count == 0) throw new ArgumentException("points: the campaign has no shooting points");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in Points)
        {
            if (!PointIdPattern.IsMatch(point.Id ?? "")) throw new ArgumentException($"points: id '{point.Id}' must be letters, digits, '.', '_' or '-' (at most 40)");
            if (!ids.Add(point.Id!)) throw new ArgumentException($"points: id '{point.Id}' is used twice");
        }
        if (ShotsPerPoint < 1) throw new ArgumentException($"shots_per_point must be at least 1, got {ShotsPerPoint}");
        Adaptive?.Validate(Points);
        long planned = (long)Points.Count * ShotsPerPoint + (Adaptive is { } a ? (long)a.Points * a.ShotsPerPoint : 0);
        if (planned > MaxShots) throw new ArgumentException($"the campaign has {planned} shots; at most {MaxShots}");
        if (MaxSteps < 1) throw new ArgumentException($"max_steps must be at least 1, got {MaxSteps}");
        if (Concurrent is < 1 or > 10_000) throw new ArgumentException($"concurrent must be 1 to 10000, got {Concurrent}");
        if (MaxAttempts is < 1 or > 100) throw new ArgumentException($"max_attempts must be 1 to 100, got {MaxAttempts}");
        if (StopGrace < TimeSpan.FromSeconds(1)) throw new ArgumentException($"stop_grace must be at least 1 s, got {StopGrace.TotalSeconds} s");
        if (EndAfterIdle < TimeSpan.FromSeconds(1)) throw new ArgumentException($"end_after_idle must be at least 1 s, got {EndAfterIdle.TotalSeconds} s");
        if (string.IsNullOrWhiteSpace(Trajectory) || Trajectory.Contains('/') || Trajectory is "." or "..")
            throw new ArgumentException($"trajectory must be a file name in the shot's folder, got '{Trajectory}'");
        if (!Layout.Contains("{shot}", StringComparison.Ordinal) || !Layout.Contains("{point}", StringComparison.Ordinal))
            throw new ArgumentException($"layout must contain {{point}} and {{shot}} (each shot needs its own folder), got '{Layout}'");
        if (Layout.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"layout must be a relative path without '.' or '..' parts, got '{Layout}'");
        if (!Path.IsPathFullyQualified(Directory)) throw new ArgumentException($"directory must be absolute once resolved, got '{Directory}'");
    }

    private static readonly System.Text.RegularExpressions.Regex PointIdPattern = new(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,39}\z");
}
