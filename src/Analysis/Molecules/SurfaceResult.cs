namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Surface/core of one frame: per molecule (or atom) the number of centers within <see cref="Radius"/> and whether that
/// is fewer than <see cref="MinNeighbors"/>; rows in molecule-id order (or the frame's atom order). Immutable.
/// </summary>
public sealed class SurfaceResult
{
    private readonly int[] _ids;
    private readonly int[] _counts;
    private readonly bool[] _surface;

    internal SurfaceResult(int[] ids, int[] counts, double radius, int minNeighbors)
    {
        _ids = ids;
        _counts = counts;
        Radius = radius;
        MinNeighbors = minNeighbors;
        _surface = new bool[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            _surface[i] = counts[i] < minNeighbors;
            if (_surface[i]) SurfaceCount++;
        }
    }

    public int Count => _ids.Length;

    /// <summary>Molecule ids (molecular) or atom ids (atomic).</summary>
    public ReadOnlySpan<int> Ids => _ids;

    /// <summary>Other centers (periodic images included) closer than <see cref="Radius"/>.</summary>
    public ReadOnlySpan<int> NeighborCounts => _counts;

    public ReadOnlySpan<bool> IsSurface => _surface;

    /// <summary>The radius used (the default is resolved per frame).</summary>
    public double Radius { get; }

    public int MinNeighbors { get; }

    public int SurfaceCount { get; }

    public int CoreCount => Count - SurfaceCount;
}
