using StreamMonitor.Analysis.Neighbors;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// One frame's feature vectors: a row per atom (atomic features) or per molecule, row-major, with the id it belongs to
/// and the frame atom it is anchored on (the atom itself, or the molecule's center atom) so callers can select rows
/// by atom type.
/// </summary>
public sealed record FeatureRows(int Width, double[] Values, int[] Ids, int[] Atoms, bool[] Defined)
{
    public int Count => Ids.Length;

    /// <summary>For atomic rows, the neighbour list the features were computed on (row i = frame atom i), for reuse.</summary>
    public NeighborList? Neighbors { get; init; }

    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * Width, Width);
}
