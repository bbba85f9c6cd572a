namespace StreamMonitor.Analysis.Clusters;

/// <summary>
/// A set of lattice directions (a, b, c) of a periodic cell: along which a cluster connects to its own periodic image.
/// Lattice directions rather than x, y, z because in a triclinic cell the periodicity is along the lattice vectors.
/// </summary>
[Flags]
public enum LatticeDirections
{
    None = 0,
    A = 1,
    B = 2,
    C = 4,
}
