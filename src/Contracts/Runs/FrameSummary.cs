namespace StreamMonitor.Contracts.Runs;

/// <summary>
/// What one processed frame of a run comes to: the class census, the largest crystalline cluster (the nucleation
/// coordinate n_max), order and interface measures when computed, and how long the frame took. This, not the
/// coordinates, is what flows from a run's pipeline to grains, streams, the dashboard and the metrics sink.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FrameSummary
{
    [Id(0)] public required string RunId { get; init; }

    /// <summary>0-based frame index in the trajectory.</summary>
    [Id(1)] public required long Frame { get; init; }

    [Id(2)] public required long Step { get; init; }

    /// <summary>Simulation time, when the file gives it (ps for GROMACS).</summary>
    [Id(3)] public double? Time { get; init; }

    /// <summary>Atoms (atomic models) or molecules classified.</summary>
    [Id(4)] public required int Count { get; init; }

    /// <summary>Rows per class, in the model's class order.</summary>
    [Id(5)] public required IReadOnlyList<string> Classes { get; init; }

    [Id(6)] public required IReadOnlyList<int> ClassCounts { get; init; }

    /// <summary>Rows no class claimed.</summary>
    [Id(7)] public required int Undefined { get; init; }

    /// <summary>Rows in a crystalline class (see <see cref="CrystallineClasses"/>).</summary>
    [Id(8)] public required int Crystalline { get; init; }

    [Id(9)] public required IReadOnlyList<string> CrystallineClasses { get; init; }

    /// <summary>The crystalline class with most rows, or null when there are none.</summary>
    [Id(10)] public string? DominantCrystal { get; init; }

    /// <summary>Size of the largest cluster of neighbouring crystalline rows.</summary>
    [Id(11)] public required int NMax { get; init; }

    /// <summary>Centre of mass (x, y, z) of the largest cluster, minimum-image unwrapped; null when there is none.</summary>
    [Id(12)] public IReadOnlyList<double>? LargestCenter { get; init; }

    [Id(13)] public double? LargestRadiusOfGyration { get; init; }

    /// <summary>Mean Steinhardt q6 over atoms (atomic systems).</summary>
    [Id(14)] public double? MeanQ6 { get; init; }

    /// <summary>
    /// Crystalline rows at the surface of the largest cluster and in its core (surface/core analysis), when computed;
    /// the melting detector uses them to tell surface melting from core melting. Not filled by the summarizer yet.
    /// </summary>
    [Id(15)] public int? Surface { get; init; }

    [Id(16)] public int? Core { get; init; }

    /// <summary>Interface position along the configured axis and its velocity (length per time unit of the file).</summary>
    [Id(17)] public double? InterfacePosition { get; init; }
    [Id(18)] public double? InterfaceVelocity { get; init; }

    /// <summary>From the frame being complete on disk to this summary, in milliseconds.</summary>
    [Id(19)] public required double LatencyMs { get; init; }

    public double CrystallineFraction => Count == 0 ? 0 : (double)Crystalline / Count;

    public int CountOf(string className)
    {
        for (int i = 0; i < Classes.Count; i++)
            if (Classes[i] == className) return ClassCounts[i];
        return 0;
    }
}
