using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Clusters;

/// <summary>
/// One connected cluster of a <see cref="ClusterResult"/>. A struct: a frame of isolated members has as many clusters
/// as particles, and they should not cost an object each.
/// </summary>
/// <param name="Id">Rank by size: 1 is the largest (ties: the cluster holding the lowest particle index first).</param>
/// <param name="Size">Number of member particles.</param>
/// <param name="CenterOfMass">
/// Centre of mass (equal masses) wrapped into the cell. Computed on the cluster unwrapped across periodic images; along a
/// lattice direction in which the cluster percolates it is the circular mean of the fractional coordinate instead
/// (see <see cref="ClusterAnalysis"/>).
/// </param>
/// <param name="RadiusOfGyration">Root-mean-square distance of the members from <paramref name="CenterOfMass"/>.</param>
/// <param name="Percolation">Lattice directions along which the cluster is bonded to its own periodic image.</param>
public readonly record struct Cluster(int Id, int Size, Vector3d CenterOfMass, double RadiusOfGyration, LatticeDirections Percolation)
{
    /// <summary>True when the cluster is bonded to its own periodic image (it spans the box) in any direction.</summary>
    public bool Percolating => Percolation != LatticeDirections.None;
}
