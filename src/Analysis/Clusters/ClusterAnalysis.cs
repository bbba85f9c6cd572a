using System.Buffers;
using System.Runtime.CompilerServices;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Clusters;

/// <summary>
/// Connected clusters of member particles (e.g. solid particles for the largest-solid-cluster coordinate n_max): two
/// members are in the same cluster when a chain of neighbour-list entries between members links them. Like freud's
/// <c>cluster.Cluster</c>: the constructor takes the parameters, <see cref="Compute(NeighborList, ReadOnlySpan{bool}, SimulationBox, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// the per-frame data, and the result is immutable, so one instance can serve many runs and threads at once.
/// </summary>
/// <remarks>
/// <para>
/// Links: every entry i → j of the neighbour list with both ends members (and, with <see cref="BondCutoff"/>, closer
/// than it) links i and j. A k-nearest list need not be symmetric; a link in either direction is enough.
/// Components come from union-find (union by size, path compression, no recursion), so a 1M-particle percolating
/// cluster costs no stack.
/// </para>
/// <para>
/// Centre of mass across periodic images: the union-find keeps, for every member, its displacement from its parent
/// across the images the links passed through (a link carries the displacement the list found in range), so after
/// one pass over the links every member has an unwrapped position relative to its cluster's root, with the root placed
/// in the cell. The mean of the unwrapped positions is wrapped back into the cell. A link between two members already
/// in one cluster whose displacement disagrees with their placed positions by a whole lattice shift bonds the cluster
/// to its own periodic image: it percolates along the lattice directions of that shift
/// (<see cref="Cluster.Percolation"/>). Every cycle of links is checked this way (each link that closes one is), so
/// which links form the tree does not change the result. Along such a direction an unwrapped mean is meaningless (it
/// depends on the tree); there the centre is the circular mean of the fractional coordinate (angle 2π·s, as for a slab
/// spanning the box, Bai and Breen 2008), and deviations for the radius of gyration are taken to the nearest periodic
/// image of the centre along that direction. Along the other directions the unwrapped mean is kept: a slab percolating
/// in a and b still has a well-defined position and thickness along c.
/// </para>
/// <para>
/// Everything runs in passes over the particles and their lists in index order, with no walk over the clusters: the
/// cost is the list's size, and memory is read mostly in order.
/// </para>
/// <para>All particles weigh the same.</para>
/// </remarks>
public sealed class ClusterAnalysis
{
    /// <param name="bondCutoff">
    /// Only neighbour entries closer than this link members; null links every entry of the list (its cutoff, or its k
    /// nearest).
    /// </param>
    /// <param name="cores">The budget the linking borrows idle cores from; null for <see cref="CoreBudget.Shared"/>.</param>
    public ClusterAnalysis(double? bondCutoff = null, CoreBudget? cores = null)
    {
        _cores = cores ?? CoreBudget.Shared;
        if (bondCutoff is { } rc && !(rc > 0))
            throw new ArgumentOutOfRangeException(nameof(bondCutoff), rc, "must be positive");
        BondCutoff = bondCutoff;
    }

    private readonly CoreBudget _cores;

    /// <summary>Neighbour entries at this distance or beyond do not link; null when every entry links.</summary>
    public double? BondCutoff { get; }

    /// <summary>Clusters of the members of a frame, with neighbours built on the frame's positions.</summary>
    public ClusterResult Compute(Frame frame, NeighborList neighbors, ReadOnlySpan<bool> member) =>
        Compute(neighbors, member, frame.Box, frame.X, frame.Y, frame.Z);

    /// <summary>
    /// Clusters of the particles with <paramref name="member"/> set, linked by <paramref name="neighbors"/> (built on the
    /// same positions and box).
    /// </summary>
    public ClusterResult Compute(NeighborList neighbors, ReadOnlySpan<bool> member, SimulationBox box,
        ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        int n = neighbors.Count;
        if (member.Length != n || x.Length != n || y.Length != n || z.Length != n)
            throw new ArgumentException(
                $"the neighbour list has {n} particles but member has {member.Length} and positions {x.Length}/{y.Length}/{z.Length}");
        var cell = new PeriodicCell(box);
        double cutoff = BondCutoff ?? double.PositiveInfinity;
        var order = neighbors.Order;
        bool[]? memberArray = null; // the parallel passes cannot capture a span
        if (neighbors.Permuted)
        {
            // A list in cell order: work by its positions (nearby memory), then give each particle its cluster.
            var (m, px, py, pz) = (new bool[n], new float[n], new float[n], new float[n]);
            unsafe
            {
                fixed (int* po = order)
                fixed (bool* pm = member)
                fixed (float* fx = x, fy = y, fz = z)
                {
                    // Addresses, not spans, cross into the parallel loop (pinned until it ends).
                    var (ao, am, ax, ay, az) = ((nint)po, (nint)pm, (nint)fx, (nint)fy, (nint)fz);
                    InStretches(n, (from, to) =>
                    {
                        for (int p = from; p < to; p++)
                        {
                            int i = ((int*)ao)[p];
                            (m[p], px[p], py[p], pz[p]) = (((bool*)am)[i], ((float*)ax)[i], ((float*)ay)[i], ((float*)az)[i]);
                        }
                    });
                }
            }
            member = m;
            memberArray = m;
            x = px;
            y = py;
            z = pz;
        }

        memberArray ??= member.ToArray();
        var scratch = new Scratch(n);
        try
        {
            int members = Link(cell, neighbors, memberArray, cutoff, ref scratch);
            var clusterOf = new int[n];
            int count = Rank(member, order, clusterOf, ref scratch);
            var clusters = Describe(cell, memberArray, x, y, z, clusterOf, count, scratch);
            if (neighbors.Permuted)
            {
                var (byParticle, ofPosition) = (new int[n], clusterOf);
                unsafe
                {
                    fixed (int* po = order)
                    {
                        nint ao = (nint)po;
                        InStretches(n, (from, to) =>
                        {
                            for (int p = from; p < to; p++) byParticle[((int*)ao)[p]] = ofPosition[p];
                        });
                    }
                }
                clusterOf = byParticle;
            }
            return new ClusterResult(clusterOf, clusters, members);
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>
    /// Union-find over the member links, keeping each member's displacement from its parent and each root's percolation;
    /// leaves every member pointing at its root with its displacement from it. The links are joined first within each
    /// of <see cref="LinkRanges"/> stretches of positions, in parallel (a tree of one stretch holds only its own
    /// positions, so the stretches touch disjoint entries), then between stretches, one at a time. Which links form the
    /// trees does not change the result (see the remarks), and the stretches do not depend on the cores lent.
    /// </summary>
    private int Link(PeriodicCell cell, NeighborList neighbors, bool[] isMember, double cutoff, ref Scratch s)
    {
        int n = neighbors.Count;
        int members = 0;
        var scratch = s;
        InStretches(n, (from, to) =>
        {
            int found = 0;
            for (int i = from; i < to; i++)
            {
                scratch.Parent[i] = isMember[i] ? i : -1;
                scratch.Size[i] = 1;
                scratch.Ox[i] = scratch.Oy[i] = scratch.Oz[i] = 0;
                scratch.Percolation[i] = LatticeDirections.None;
                if (isMember[i]) found++;
            }
            Interlocked.Add(ref members, found);
        });
        int ranges = n >= ParallelLinkThreshold ? LinkRanges : 1;
        int per = (n + ranges - 1) / ranges;
        var across = new List<(int I, int K)>[ranges];
        double sameImage = cell.MaxMinimumImageCutoff * cell.MaxMinimumImageCutoff;
        _cores.For(ranges, r =>
            across[r] = LinkWithin(cell, sameImage, neighbors, isMember, cutoff, r * per, Math.Min(n, (r + 1) * per), scratch));
        foreach (var links in across)
            foreach (var (i, k) in links)
                Join(cell, sameImage, i, neighbors.Neighbors(i)[k], neighbors.Dx(i)[k], neighbors.Dy(i)[k], neighbors.Dz(i)[k], ref s);
        // Every member straight to its root: each found by walking up without changing the trees, so stretches of
        // members can walk at once; the walks write beside the trees, which then take their place. A walk adds the
        // displacements up its path in the order a find does; where a one-at-a-time pass would already have shortened
        // the path, the same displacements are grouped differently, which can change only the last bits of a double.
        var (root, rx, ry, rz) = (s.Root, s.Rx, s.Ry, s.Rz);
        InStretches(n, (from, to) =>
        {
            var (parent, ox, oy, oz) = (scratch.Parent, scratch.Ox, scratch.Oy, scratch.Oz);
            for (int i = from; i < to; i++)
            {
                int r = i;
                double dx = 0, dy = 0, dz = 0;
                if (isMember[i])
                    while (parent[r] != r)
                    {
                        dx += ox[r];
                        dy += oy[r];
                        dz += oz[r];
                        r = parent[r];
                    }
                else r = -1;
                (root[i], rx[i], ry[i], rz[i]) = (r, dx, dy, dz);
            }
        });
        (s.Parent, s.Root, s.Ox, s.Rx, s.Oy, s.Ry, s.Oz, s.Rz) = (root, s.Parent, rx, s.Ox, ry, s.Oy, rz, s.Oz);
        return members;
    }

    private const int Stretch = 65536;

    /// <summary>
    /// Runs <paramref name="body"/>(first, end) over [0, <paramref name="n"/>) in stretches of particles, on the idle
    /// cores of the budget for large frames; the stretches do not depend on the cores lent.
    /// </summary>
    private void InStretches(int n, Action<int, int> body) =>
        InStretches(n, split: true, (from, to) =>
        {
            body(from, to);
            return true;
        });

    private const int LinkRanges = 8;
    private const int ParallelLinkThreshold = 65536;

    /// <summary>
    /// Joins the linked members of positions [<paramref name="from"/>, <paramref name="to"/>) whose partner is in the
    /// same stretch, and returns the other links (position, entry in its row), in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one long loop per frame: optimised from the first frame
    private static List<(int I, int K)> LinkWithin(PeriodicCell cell, double sameImage, NeighborList neighbors, bool[] member, double cutoff,
        int from, int to, Scratch s)
    {
        // A cutoff list holds every link from both ends: one end's entries are enough (j ≥ i keeps links to i's own images).
        bool bothEnds = neighbors.RequestedNeighbors is null;
        bool bonds = !double.IsPositiveInfinity(cutoff); // without a bond cutoff the distances are not read
        var across = new List<(int, int)>();
        for (int i = from; i < to; i++)
        {
            if (!member[i]) continue;
            var js = neighbors.Neighbors(i);
            var ds = bonds ? neighbors.Distances(i) : default;
            var dx = neighbors.Dx(i);
            var dy = neighbors.Dy(i);
            var dz = neighbors.Dz(i);
            for (int k = 0; k < js.Length; k++)
            {
                int j = js[k];
                if ((bothEnds && j < i) || !member[j] || (bonds && !(ds[k] < cutoff))) continue;
                if (j >= to || j < from) across.Add((i, k));
                else Join(cell, sameImage, i, j, dx[k], dy[k], dz[k], ref s);
            }
        }
        return across;
    }

    /// <summary>Joins the trees of members i and j, linked with j at i + d (or marks the percolation the link closes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Join(PeriodicCell cell, double sameImage, int i, int j, double dx, double dy, double dz, ref Scratch s)
    {
        var parent = s.Parent;
        var size = s.Size;
        var percolation = s.Percolation;
        int ri = Find(i, ref s, out double ix, out double iy, out double iz);
        int rj = Find(j, ref s, out double jx, out double jy, out double jz);
        // The link places j at i + d: relative to i's root, j's root sits at (i's offset + d − j's offset).
        double gx = ix + dx - jx, gy = iy + dy - jy, gz = iz + dz - jz;
        if (ri == rj)
        {
            // Closer than half the cell's smallest width (sameImage is its square), every fractional component is under ½: no shift.
            if (gx * gx + gy * gy + gz * gz >= sameImage) percolation[ri] |= Shifted(cell, new Vector3d(gx, gy, gz));
            return;
        }
        if (size[ri] < size[rj])
        {
            (ri, rj) = (rj, ri);
            (gx, gy, gz) = (-gx, -gy, -gz);
        }
        parent[rj] = ri;
        size[ri] += size[rj];
        (s.Ox[rj], s.Oy[rj], s.Oz[rj]) = (gx, gy, gz);
        percolation[ri] |= percolation[rj];
    }

    /// <summary>
    /// The root of <paramref name="i"/>'s set and i's displacement from it; points the path at the root, each node with
    /// its own displacement from it, so later finds are O(1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(int i, ref Scratch s, out double ox, out double oy, out double oz)
    {
        var parent = s.Parent;
        double[] px = s.Ox, py = s.Oy, pz = s.Oz;
        ox = oy = oz = 0;
        int root = i;
        while (parent[root] != root)
        {
            ox += px[root];
            oy += py[root];
            oz += pz[root];
            root = parent[root];
        }
        // Each node's displacement from the root is what is left of i's after the nodes below it on the path.
        double rx = ox, ry = oy, rz = oz;
        while (parent[i] != root && i != root)
        {
            int next = parent[i];
            double lx = px[i], ly = py[i], lz = pz[i];
            (px[i], py[i], pz[i]) = (rx, ry, rz);
            parent[i] = root;
            rx -= lx;
            ry -= ly;
            rz -= lz;
            i = next;
        }
        return root;
    }

    /// <summary>The lattice directions of a displacement that is (up to rounding) a whole lattice shift.</summary>
    private static LatticeDirections Shifted(PeriodicCell cell, Vector3d gap)
    {
        var shift = cell.DisplacementToFractional(gap);
        var directions = LatticeDirections.None;
        if (Math.Round(shift.X) != 0) directions |= LatticeDirections.A;
        if (Math.Round(shift.Y) != 0) directions |= LatticeDirections.B;
        if (Math.Round(shift.Z) != 0) directions |= LatticeDirections.C;
        return directions;
    }

    /// <summary>
    /// Gives every cluster its rank by size (ties: the cluster with the lowest particle index first) and fills the
    /// per-position ids; <paramref name="particles"/> is the particle at each position (empty: the position itself).
    /// </summary>
    private static int Rank(ReadOnlySpan<bool> member, ReadOnlySpan<int> particles, int[] clusterOf, ref Scratch s)
    {
        int n = clusterOf.Length;
        var parent = s.Parent; // every member points at its root (Link's last pass)
        var label = s.Label;   // by root: provisional label in order of first member
        int count = 0;
        for (int i = 0; i < n; i++)
            if (member[i] && parent[i] == i) label[i] = -1;
        var lowest = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (!member[i]) continue;
            int r = parent[i];
            int particle = particles.IsEmpty ? i : particles[i];
            if (label[r] < 0)
            {
                label[r] = count++;
                lowest.Add(particle);
            }
            else if (particle < lowest[label[r]]) lowest[label[r]] = particle;
        }
        var order = new int[count];
        var sizes = new int[count];
        for (int i = 0; i < n; i++)
        {
            if (!member[i] || parent[i] != i) continue;
            order[label[i]] = label[i];
            sizes[label[i]] = s.Size[i];
        }
        Array.Sort(order, (p, q) => sizes[p] != sizes[q] ? sizes[q].CompareTo(sizes[p]) : lowest[p].CompareTo(lowest[q]));
        var rank = sizes; // reuse: sizes are no longer needed once sorted
        for (int k = 0; k < count; k++) rank[order[k]] = k + 1;
        for (int i = 0; i < n; i++) clusterOf[i] = member[i] ? rank[label[parent[i]]] : 0;
        return count;
    }

    /// <summary>
    /// Each cluster's centre, radius of gyration and percolation, from its members' unwrapped positions: the root's
    /// position wrapped into the cell plus the member's displacement from it. Two passes over the members in index order:
    /// sums for the centres, then the squared deviations. A large frame with few clusters sums each stretch of members
    /// apart, on the idle cores, and adds the stretches' sums up in stretch order (the stretches do not depend on the
    /// cores lent, so neither do the results); with many clusters the per-stretch sums would outweigh the work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a pass over every particle per frame: optimised from the first
    private Cluster[] Describe(PeriodicCell cell, bool[] member, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> z, int[] clusterOf, int count, Scratch s)
    {
        int n = clusterOf.Length;
        var parent = s.Parent;
        var percolation = new LatticeDirections[count];
        var sizes = new int[count];
        var root = new Vector3d[count];
        for (int i = 0; i < n; i++)
        {
            if (!member[i] || parent[i] != i) continue;
            int c = clusterOf[i] - 1;
            percolation[c] = s.Percolation[i];
            sizes[c] = s.Size[i];
            root[c] = cell.ToFractional(cell.Wrap(new Vector3d(x[i], y[i], z[i])));
        }
        var terms = new ClusterMemberTerms(cell, member, clusterOf, root, percolation, s.Ox, s.Oy, s.Oz);
        bool split = count <= StretchSumsClusterLimit;
        // Sums of the fractional coordinates (3 per cluster), then cos and sin of 2πs along a, b, c (6 per cluster: only
        // for percolating clusters).
        var sums = AddUp(InStretches(n, split, (from, to) => terms.CentreSums(from, to, count)));
        var centre = new Vector3d[count];
        for (int c = 0; c < count; c++)
        {
            var p = percolation[c];
            int m = sizes[c];
            int k = 9 * c;
            centre[c] = new Vector3d(
                (p & LatticeDirections.A) != 0 ? CircularMean(sums[k + 3], sums[k + 4]) : sums[k] / m,
                (p & LatticeDirections.B) != 0 ? CircularMean(sums[k + 5], sums[k + 6]) : sums[k + 1] / m,
                (p & LatticeDirections.C) != 0 ? CircularMean(sums[k + 7], sums[k + 8]) : sums[k + 2] / m);
        }
        var squares = AddUp(InStretches(n, split, (from, to) => terms.SquareSums(from, to, count, centre)));
        var clusters = new Cluster[count];
        for (int c = 0; c < count; c++)
        {
            var f = centre[c];
            var wrapped = cell.ToCartesian(new Vector3d(Wrapped(f.X), Wrapped(f.Y), Wrapped(f.Z)));
            clusters[c] = new Cluster(c + 1, sizes[c], wrapped, Math.Sqrt(squares[c] / sizes[c]), percolation[c]);
        }
        return clusters;
    }

    /// <summary>Above this many clusters, <see cref="Describe"/> sums in one pass (each stretch's sums take 10 doubles per cluster).</summary>
    private const int StretchSumsClusterLimit = 4096;

    /// <summary>
    /// <paramref name="body"/>(first, end) over [0, <paramref name="n"/>) in stretches of particles when
    /// <paramref name="split"/> (a frame of fewer particles than a stretch is one), else in one, on the idle cores;
    /// their results in stretch order.
    /// </summary>
    private T[] InStretches<T>(int n, bool split, Func<int, int, T> body) => _cores.InStretches(n, split ? Stretch : int.MaxValue, body);

    /// <summary>The stretches' sums added up element by element, in stretch order.</summary>
    private static double[] AddUp(double[][] stretches)
    {
        var total = stretches[0];
        for (int k = 1; k < stretches.Length; k++)
        {
            var part = stretches[k];
            for (int j = 0; j < total.Length; j++) total[j] += part[j];
        }
        return total;
    }

    /// <summary>
    /// A fractional coordinate in [0, 1); one a rounding error below 1 is the lower face's 0 (one place, not two: a
    /// centre on the boundary comes out where the cell starts).
    /// </summary>
    private static double Wrapped(double s)
    {
        double w = s - Math.Floor(s);
        return w > 1 - 1e-12 ? 0 : w;
    }

    /// <summary>Circular mean of fractional coordinates in [0, 1) from the sums of cos and sin of 2πs.</summary>
    private static double CircularMean(double cos, double sin)
    {
        double mean = Math.Atan2(sin, cos) / (2 * Math.PI);
        return mean < 0 ? mean + 1 : mean;
    }


    /// <summary>The per-compute working arrays, rented together and returned together.</summary>
    private struct Scratch
    {
        public int[] Parent, Size, Label;
        public double[] Ox, Oy, Oz; // displacement from the parent
        public int[] Root;          // where the last pass of the linking puts each member's root
        public double[] Rx, Ry, Rz; // and its displacement from it
        public LatticeDirections[] Percolation; // by root

        public Scratch(int n)
        {
            int m = Math.Max(n, 1);
            Parent = ArrayPool<int>.Shared.Rent(m);
            Size = ArrayPool<int>.Shared.Rent(m);
            Label = ArrayPool<int>.Shared.Rent(m);
            Ox = ArrayPool<double>.Shared.Rent(m);
            Oy = ArrayPool<double>.Shared.Rent(m);
            Oz = ArrayPool<double>.Shared.Rent(m);
            Root = ArrayPool<int>.Shared.Rent(m);
            Rx = ArrayPool<double>.Shared.Rent(m);
            Ry = ArrayPool<double>.Shared.Rent(m);
            Rz = ArrayPool<double>.Shared.Rent(m);
            Percolation = ArrayPool<LatticeDirections>.Shared.Rent(m);
        }

        public readonly void Return()
        {
            ArrayPool<int>.Shared.Return(Parent);
            ArrayPool<int>.Shared.Return(Size);
            ArrayPool<int>.Shared.Return(Label);
            ArrayPool<double>.Shared.Return(Ox);
            ArrayPool<double>.Shared.Return(Oy);
            ArrayPool<double>.Shared.Return(Oz);
            ArrayPool<int>.Shared.Return(Root);
            ArrayPool<double>.Shared.Return(Rx);
            ArrayPool<double>.Shared.Return(Ry);
            ArrayPool<double>.Shared.Return(Rz);
            ArrayPool<LatticeDirections>.Shared.Return(Percolation);
        }
    }
}
