namespace StreamMonitor.Monitoring;

/// <summary>
/// What one processed frame of a run comes to: the class census, the largest crystalline cluster (the nucleation
/// coordinate n_max), order and interface measures when computed, and how long the frame took. This, not the
/// coordinates, is what flows from a run's pipeline to grains, streams, the dashboard and the metrics sink; its JSON
/// form (<see cref="ContractJson"/>) is the <c>frame_summary</c> of the repository's schema.
/// </summary>
public sealed record FrameSummary
{
    public required string RunId { get; init; }

    /// <summary>0-based frame index in the trajectory.</summary>
    public required long Frame { get; init; }

    public required long Step { get; init; }

    /// <summary>Simulation time, when the file gives it (ps for GROMACS).</summary>
    public double? Time { get; init; }

    /// <summary>The model that classified the frame: a shipped model's name or a model file's name.</summary>
    public required string Model { get; init; }

    /// <summary>Atoms (atomic models) or molecules classified.</summary>
    public required int Count { get; init; }

    /// <summary>Rows per class, by class name, in the model's class order.</summary>
    public required IReadOnlyDictionary<string, int> ClassCounts { get; init; }

    /// <summary>Rows no class claimed.</summary>
    public required int Undefined { get; init; }

    /// <summary>Rows in a crystalline class (see <see cref="CrystallineClasses"/>).</summary>
    public required int Crystalline { get; init; }

    /// <summary><see cref="Crystalline"/> over <see cref="Count"/>; 0 for an empty frame.</summary>
    public double CrystallineFraction => Count == 0 ? 0 : (double)Crystalline / Count;

    /// <summary>The classes counted as crystalline: those the model declares crystals, unless the run names its own.</summary>
    public required IReadOnlyList<string> CrystallineClasses { get; init; }

    /// <summary>The crystalline class with most rows, or null when there are none.</summary>
    public string? DominantCrystal { get; init; }

    /// <summary>Size of the largest cluster of neighbouring crystalline rows.</summary>
    public required int NMax { get; init; }

    /// <summary>Centre of mass (x, y, z) of the largest cluster, minimum-image unwrapped; null when there is none.</summary>
    public IReadOnlyList<double>? LargestCenter { get; init; }

    /// <summary>Radius of gyration of the largest cluster; null when there is none.</summary>
    public double? LargestRg { get; init; }

    /// <summary>Mean Steinhardt q6 over atoms (atomic systems).</summary>
    public double? MeanQ6 { get; init; }

    /// <summary>
    /// Rows of the largest cluster at a surface (Kuroshima et al. 2024: fewer than a threshold of rows — every row, not
    /// only crystalline ones — within a radius); <see cref="Core"/> holds the rest, so Surface + Core = <see cref="NMax"/>.
    /// The melting detector uses them to tell surface melting from core melting. Null when not computed: turned off, no
    /// crystalline cluster, or a frame without a free surface (a dense periodic system, a nucleus in its own melt).
    /// </summary>
    public int? Surface { get; init; }

    /// <summary>Rows of the largest cluster not at a surface; null whenever <see cref="Surface"/> is.</summary>
    public int? Core { get; init; }

    /// <summary>
    /// Position along the configured axis of the crystal–liquid interface (from a tanh fit of the solid fraction profile):
    /// for a solid slab in a periodic box its upper face, where the solid ends going up the axis, within the cell's period;
    /// for a single interface that one. Null when no axis is configured or the profile has no interface.
    /// </summary>
    public double? InterfacePosition { get; init; }

    /// <summary>
    /// Rate of change of <see cref="InterfacePosition"/> between this frame and the previous one with an interface, in
    /// length per time unit of the file (per MD step, or per the configured step time, when the file records no time):
    /// positive up the axis, so growth for a slab's upper face. Null on the first such frame of a run or after a restart.
    /// </summary>
    public double? InterfaceVelocity { get; init; }

    /// <summary>
    /// Frames already in the file behind this one, not yet read when its summary was made: the bytes after it over its
    /// own size, so an estimate for files whose frames vary in size. Zero when the monitor keeps up; null when unknown
    /// (a series of files).
    /// </summary>
    public long? FramesBehind { get; init; }

    /// <summary>From the tailer starting to read the frame (within one change notification of its being written) to this summary, in milliseconds.</summary>
    public required double LatencyMs { get; init; }

    public int CountOf(string className) => ClassCounts.GetValueOrDefault(className);
}
