namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// What a run's frame summaries measure beyond the class census: which classes count as crystalline, surface/core
/// counts of the largest cluster and a crystal–liquid interface along an axis. Part of <see cref="RunConfig"/>;
/// <c>watch</c> takes the same as options. Null fields take the summarizer's defaults.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record SummarySettings
{
    /// <summary>
    /// Classes counted as crystalline (n_max, crystalline fraction, dominant crystal, the event detectors); null for the
    /// classes the model declares crystals. Every name must be one of the model's classes.
    /// </summary>
    public IReadOnlyList<string>? CrystallineClasses { get; init; }

    /// <summary>Split the largest cluster's rows into surface and core.</summary>
    public bool SurfaceCore { get; init; } = true;

    /// <summary>Radius within which neighbours are counted for the surface test (length unit of the file).</summary>
    public double? SurfaceRadius { get; init; }

    /// <summary>A row with fewer neighbours than this within the radius is at a surface.</summary>
    public int? SurfaceMinNeighbors { get; init; }

    /// <summary>Track a crystal–liquid interface along this box axis (<c>x</c>, <c>y</c>, <c>z</c>); null for none.</summary>
    public char? InterfaceAxis { get; init; }

    /// <summary><c>slab</c> (a crystal slab in a periodic box: two interfaces) or <c>single</c> (one interface, e.g. walls).</summary>
    public string? InterfaceGeometry { get; init; }

    /// <summary>Bins of the solid-fraction profile along the axis.</summary>
    public int? InterfaceBins { get; init; }

    /// <summary>Classes counted as solid for the interface (default: the crystalline classes), e.g. one polymorph for a solid–solid front.</summary>
    public IReadOnlyList<string>? InterfaceClasses { get; init; }

    /// <summary>Time per MD step, for files that record no time (LAMMPS dumps): velocities are then per time unit, not per step.</summary>
    public double? TimePerStep { get; init; }
}
