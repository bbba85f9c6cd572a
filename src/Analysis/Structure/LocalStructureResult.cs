namespace StreamMonitor.Analysis.Structure;

/// <summary>
/// The structure of every particle of one frame, from <see cref="AdaptiveCommonNeighbourAnalysis"/>. Immutable: it owns
/// its array and hands out a read-only view.
/// </summary>
public sealed class LocalStructureResult
{
    private readonly LocalStructure[] _structures;
    private readonly int[] _counts = new int[Enum.GetValues<LocalStructure>().Length];

    internal LocalStructureResult(LocalStructure[] structures)
    {
        _structures = structures;
        foreach (var s in structures) _counts[(int)s]++;
    }

    public int ParticleCount => _structures.Length;

    /// <summary>Per particle, in the order of the neighbour list's particles.</summary>
    public ReadOnlySpan<LocalStructure> Structures => _structures;

    /// <summary>How many particles have <paramref name="structure"/>.</summary>
    public int Count(LocalStructure structure) => _counts[(int)structure];

    /// <summary>The fraction of all particles that have <paramref name="structure"/> (0 for an empty frame).</summary>
    public double Fraction(LocalStructure structure) => _structures.Length == 0 ? 0 : (double)_counts[(int)structure] / _structures.Length;
}
