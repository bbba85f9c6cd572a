using System.Runtime.CompilerServices;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Clusters;

/// <summary>
/// What each member adds to its cluster's description, summed over a stretch of positions: the members' unwrapped
/// fractional coordinates (their cluster root's plus their displacement from it), for the centres, then their squared
/// deviations from the centres, for the radii of gyration. A stretch adds its members in index order.
/// </summary>
internal sealed class ClusterMemberTerms(
    PeriodicCell cell, bool[] member, int[] clusterOf, Vector3d[] root, LatticeDirections[] percolation, double[] ox, double[] oy,
    double[] oz)
{
    /// <summary>
    /// Nine sums per cluster: the fractional coordinates along a, b, c, then cos and sin of 2πs along a, b and c (only
    /// along the directions a cluster percolates in).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one long loop per frame: optimised from the first frame
    public double[] CentreSums(int from, int to, int count)
    {
        var sums = new double[9 * count];
        var angles = new CircularSums(sums);
        for (int i = from; i < to; i++)
        {
            if (!member[i]) continue;
            int c = clusterOf[i] - 1;
            var f = Unwrapped(i, c);
            sums[9 * c] += f.X;
            sums[9 * c + 1] += f.Y;
            sums[9 * c + 2] += f.Z;
            var p = percolation[c];
            if (p == LatticeDirections.None) continue;
            if ((p & LatticeDirections.A) != 0) angles.Add(f.X, 9 * c + 3);
            if ((p & LatticeDirections.B) != 0) angles.Add(f.Y, 9 * c + 5);
            if ((p & LatticeDirections.C) != 0) angles.Add(f.Z, 9 * c + 7);
        }
        angles.Flush();
        return sums;
    }

    /// <summary>Each cluster's sum of squared distances from <paramref name="centre"/> (fractional).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] SquareSums(int from, int to, int count, Vector3d[] centre)
    {
        var box = cell.Box;
        var squares = new double[count];
        for (int i = from; i < to; i++)
        {
            if (!member[i]) continue;
            int c = clusterOf[i] - 1;
            var f = Unwrapped(i, c);
            double da = f.X - centre[c].X, db = f.Y - centre[c].Y, dc = f.Z - centre[c].Z;
            var p = percolation[c];
            // Along a percolating direction: the nearest image of the centre.
            if ((p & LatticeDirections.A) != 0) da -= Math.Round(da);
            if ((p & LatticeDirections.B) != 0) db -= Math.Round(db);
            if ((p & LatticeDirections.C) != 0) dc -= Math.Round(dc);
            var d = da * box.A + db * box.B + dc * box.C;
            squares[c] += d.Dot(d);
        }
        return squares;
    }

    // Fractional coordinates are linear: a member's is its root's plus that of its displacement.
    private Vector3d Unwrapped(int i, int c) => root[c] + cell.DisplacementToFractional(new Vector3d(ox[i], oy[i], oz[i]));
}
