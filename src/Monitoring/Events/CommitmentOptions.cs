namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// The basins <see cref="CommitmentDetector"/> watches and how it commits: by default on the first frame inside a
/// basin, once per run, as PLUMED <c>COMMITTOR</c> ends a shooting trajectory at the first basin it reaches.
/// </summary>
public sealed record CommitmentOptions
{
    /// <summary>The basins, in the order they are tested (on a frame inside two, the first listed wins).</summary>
    public IReadOnlyList<Basin> Basins { get; init; } = [];

    /// <summary>
    /// Frames in a row inside a basin before committing. 1, as COMMITTOR: basins are drawn well inside the stable
    /// states, where a trajectory does not come back from; raise it for basins drawn close to the barrier.
    /// </summary>
    public int Consecutive { get; init; } = 1;

    /// <summary>
    /// False (the default): a run commits once, to the first basin it reaches, and the detector is done. True: every
    /// entry into a basin fires, once the run has been outside that basin for <see cref="Consecutive"/> frames.
    /// </summary>
    public bool Rearm { get; init; }

    public void Validate()
    {
        OptionChecks.AtLeastOne(Consecutive, "consecutive");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var basin in Basins)
        {
            basin.Validate();
            if (!names.Add(basin.Name)) throw new ArgumentException($"basin '{basin.Name}' is defined twice");
        }
    }
}
