using System.Buffers;
using System.Runtime.CompilerServices;
using StreamMonitor.Analysis.Neighbors;
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
/// Centre of mass across periodic images: each cluster is unwrapped by a breadth-first walk over its links, placing
/// each newly reached member at its neighbour's unwrapped position plus the link's displacement (the image the list
/// found in range), and the mean of the unwrapped positions is wrapped back into the cell. When the walk reaches an
/// already placed member at a different lattice image, the cluster is bonded to its own periodic image: it
/// percolates along the lattice directions of that shift (<see cref="Cluster.Percolation"/>). Along such a direction an
/// unwrapped mean is meaningless (it depends on the walk); there the centre is the circular mean of the fractional
/// coordinate (angle 2π·s, as for a slab spanning the box, Bai and Breen 2008), and deviations for the radius of gyration
/// are taken to the nearest periodic image of the centre along that direction. Along the other directions the unwrapped
/// mean is kept: a slab percolating in a and b still has a well-defined position and thickness along c.
/// </para>
/// <para>All particles weigh the same.</para>
/// </remarks>
public sealed class ClusterAnalysis
{
    /// <param name="bondCutoff">
    /// Only neighbour entries closer than this link members; null links every entry of the list (its cutoff, or its k
    /// nearest).
    /// </param>
    public ClusterAnalysis(double? bondCutoff = null)
    {
        if (bondCutoff is { } rc && !(rc > 0))
            throw new ArgumentOutOfRangeException(nameof(bondCutoff), rc, "must be positive");
        BondCutoff = bondCutoff;
    }

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

        var scratch = new Scratch(n, neighbors.PairCount);
        try
        {
            int members = Link(neighbors, member, cutoff, ref scratch);
            var clusterOf = new int[n];
            int count = Rank(member, clusterOf, ref scratch);
            var clusters = new Cluster[count];
            BuildLinks(neighbors, member, cutoff, ref scratch);
            Describe(cell, member, x, y, z, clusterOf, clusters, ref scratch);
            return new ClusterResult(clusterOf, clusters, members);
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>Union-find over the member links; counts each member's links (both directions) for the walk.</summary>
    private static int Link(NeighborList neighbors, ReadOnlySpan<bool> member, double cutoff, ref Scratch s)
    {
        int n = neighbors.Count;
        var parent = s.Parent;
        var size = s.Size;
        var degree = s.Degree;
        int members = 0;
        for (int i = 0; i < n; i++)
        {
            parent[i] = member[i] ? i : -1;
            size[i] = 1;
            degree[i] = 0;
        }
        for (int i = 0; i < n; i++)
        {
            if (!member[i]) continue;
            members++;
            var js = neighbors.Neighbors(i);
            var ds = neighbors.Distances(i);
            for (int k = 0; k < js.Length; k++)
            {
                int j = js[k];
                if (!member[j] || !(ds[k] < cutoff)) continue;
                degree[i]++;
                degree[j]++;
                DisjointSets.UnionBySize(parent, size, i, j);
            }
        }
        return members;
    }

    /// <summary>Gives every cluster its rank by size (ties: lowest first member first) and fills the per-particle ids.</summary>
    private static int Rank(ReadOnlySpan<bool> member, int[] clusterOf, ref Scratch s)
    {
        int n = clusterOf.Length;
        var parent = s.Parent;
        var label = s.Label; // by root: provisional label in order of first member
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (!member[i]) continue;
            int r = DisjointSets.Find(parent, i);
            if (r == i) label[r] = -1;
        }
        for (int i = 0; i < n; i++)
        {
            if (!member[i]) continue;
            int r = parent[i]; // compressed above: parent is the root
            if (label[r] < 0) label[r] = count++;
        }
        // Provisional labels are in order of each cluster's lowest index; a stable sort by size keeps that order for ties.
        var order = new int[count];
        var sizes = new int[count];
        for (int i = 0; i < n; i++)
        {
            if (!member[i] || parent[i] != i) continue;
            order[label[i]] = label[i];
            sizes[label[i]] = s.Size[i];
        }
        Array.Sort(order, (p, q) => sizes[p] != sizes[q] ? sizes[q].CompareTo(sizes[p]) : p.CompareTo(q));
        var rank = sizes; // reuse: sizes are no longer needed once sorted
        for (int k = 0; k < count; k++) rank[order[k]] = k + 1;
        for (int i = 0; i < n; i++) clusterOf[i] = member[i] ? rank[label[parent[i]]] : 0;
        return count;
    }

    /// <summary>
    /// The member links as a symmetric adjacency (each entry i → j also as j → i with the opposite displacement), so the
    /// walk reaches every member of a cluster even from a one-sided k-nearest list.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one long loop per frame: optimised from the first frame
    private static void BuildLinks(NeighborList neighbors, ReadOnlySpan<bool> member, double cutoff, ref Scratch s)
    {
        int n = neighbors.Count;
        var start = s.Start;
        start[0] = 0;
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + s.Degree[i];
        var fill = s.Degree; // reuse as the fill cursor
        for (int i = 0; i < n; i++) fill[i] = start[i];
        for (int i = 0; i < n; i++)
        {
            if (!member[i]) continue;
            var js = neighbors.Neighbors(i);
            var ds = neighbors.Distances(i);
            var dx = neighbors.Dx(i);
            var dy = neighbors.Dy(i);
            var dz = neighbors.Dz(i);
            for (int k = 0; k < js.Length; k++)
            {
                int j = js[k];
                if (!member[j] || !(ds[k] < cutoff)) continue;
                int a = fill[i]++;
                s.Target[a] = j;
                s.Dx[a] = dx[k];
                s.Dy[a] = dy[k];
                s.Dz[a] = dz[k];
                int b = fill[j]++;
                s.Target[b] = i;
                s.Dx[b] = -dx[k];
                s.Dy[b] = -dy[k];
                s.Dz[b] = -dz[k];
            }
        }
    }

    /// <summary>Unwraps each cluster by a breadth-first walk and computes its centre, radius of gyration and percolation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Describe(PeriodicCell cell, ReadOnlySpan<bool> member, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> z, int[] clusterOf, Cluster[] clusters, ref Scratch s)
    {
        int n = clusterOf.Length;
        var visited = s.Visited;
        Array.Clear(visited, 0, n);
        var queue = s.Queue;
        double[] ux = s.Ux, uy = s.Uy, uz = s.Uz;
        double sameImage = cell.MaxMinimumImageCutoff * cell.MaxMinimumImageCutoff;
        for (int seed = 0; seed < n; seed++)
        {
            if (!member[seed] || visited[seed]) continue;
            // Breadth-first walk from the cluster's lowest-index member, placed at its position wrapped into the cell.
            var r0 = cell.Wrap(new Vector3d(x[seed], y[seed], z[seed]));
            (ux[seed], uy[seed], uz[seed]) = (r0.X, r0.Y, r0.Z);
            visited[seed] = true;
            int head = 0, tail = 0;
            queue[tail++] = seed;
            var percolation = LatticeDirections.None;
            while (head < tail)
            {
                int i = queue[head++];
                for (int a = s.Start[i], end = s.Start[i + 1]; a < end; a++)
                {
                    int j = s.Target[a];
                    double cx = ux[i] + s.Dx[a], cy = uy[i] + s.Dy[a], cz = uz[i] + s.Dz[a];
                    if (!visited[j])
                    {
                        visited[j] = true;
                        (ux[j], uy[j], uz[j]) = (cx, cy, cz);
                        queue[tail++] = j;
                        continue;
                    }
                    // Already placed: the same place, or a whole lattice shift away when the cluster meets its own image.
                    // Closer than half the cell's smallest width, every fractional component is under ½: no shift.
                    double gx = ux[j] - cx, gy = uy[j] - cy, gz = uz[j] - cz;
                    if (gx * gx + gy * gy + gz * gz < sameImage) continue;
                    var shift = Fractional(cell, new Vector3d(ux[j] - cx, uy[j] - cy, uz[j] - cz));
                    if (Math.Round(shift.X) != 0) percolation |= LatticeDirections.A;
                    if (Math.Round(shift.Y) != 0) percolation |= LatticeDirections.B;
                    if (Math.Round(shift.Z) != 0) percolation |= LatticeDirections.C;
                }
            }
            clusters[clusterOf[seed] - 1] = Summarize(cell, queue.AsSpan(0, tail), ux, uy, uz, percolation, clusterOf[seed]);
        }
    }

    private static Cluster Summarize(PeriodicCell cell, ReadOnlySpan<int> members, double[] ux, double[] uy, double[] uz,
        LatticeDirections percolation, int id)
    {
        bool pa = (percolation & LatticeDirections.A) != 0;
        bool pb = (percolation & LatticeDirections.B) != 0;
        bool pc = (percolation & LatticeDirections.C) != 0;
        double sa = 0, sb = 0, sc = 0;          // sums of unwrapped fractional coordinates
        double ca = 0, cb = 0, cc = 0;          // circular sums: cos 2πs
        double na = 0, nb = 0, nc = 0;          //                sin 2πs
        foreach (int i in members)
        {
            var f = cell.ToFractional(new Vector3d(ux[i], uy[i], uz[i]));
            sa += f.X;
            sb += f.Y;
            sc += f.Z;
            if (pa) Accumulate(f.X, ref ca, ref na);
            if (pb) Accumulate(f.Y, ref cb, ref nb);
            if (pc) Accumulate(f.Z, ref cc, ref nc);
        }
        int m = members.Length;
        double comA = pa ? CircularMean(ca, na) : sa / m;
        double comB = pb ? CircularMean(cb, nb) : sb / m;
        double comC = pc ? CircularMean(cc, nc) : sc / m;

        double sum2 = 0;
        var box = cell.Box;
        foreach (int i in members)
        {
            var f = cell.ToFractional(new Vector3d(ux[i], uy[i], uz[i]));
            double da = f.X - comA, db = f.Y - comB, dc = f.Z - comC;
            // Along a percolating direction: the nearest image of the centre.
            if (pa) da -= Math.Round(da);
            if (pb) db -= Math.Round(db);
            if (pc) dc -= Math.Round(dc);
            var d = da * box.A + db * box.B + dc * box.C;
            sum2 += d.Dot(d);
        }
        var center = cell.ToCartesian(new Vector3d(comA - Math.Floor(comA), comB - Math.Floor(comB), comC - Math.Floor(comC)));
        return new Cluster(id, m, center, Math.Sqrt(sum2 / m), percolation);
    }

    private static void Accumulate(double s, ref double cos, ref double sin)
    {
        double angle = 2 * Math.PI * s;
        cos += Math.Cos(angle);
        sin += Math.Sin(angle);
    }

    /// <summary>Circular mean of fractional coordinates in [0, 1) from the sums of cos and sin of 2πs.</summary>
    private static double CircularMean(double cos, double sin)
    {
        double mean = Math.Atan2(sin, cos) / (2 * Math.PI);
        return mean < 0 ? mean + 1 : mean;
    }

    /// <summary>Fractional components of a displacement (not a position: no origin).</summary>
    private static Vector3d Fractional(PeriodicCell cell, Vector3d d) => cell.ToFractional(d + cell.Box.Origin);

    /// <summary>The per-compute working arrays, rented together and returned together.</summary>
    private struct Scratch
    {
        public int[] Parent, Size, Label, Degree, Start, Queue, Target;
        public bool[] Visited;
        public double[] Ux, Uy, Uz;
        public float[] Dx, Dy, Dz;

        public Scratch(int n, int pairs)
        {
            int m = Math.Max(n, 1);
            int links = Math.Max(2 * pairs, 1);
            Parent = ArrayPool<int>.Shared.Rent(m);
            Size = ArrayPool<int>.Shared.Rent(m);
            Label = ArrayPool<int>.Shared.Rent(m);
            Degree = ArrayPool<int>.Shared.Rent(m);
            Start = ArrayPool<int>.Shared.Rent(m + 1);
            Queue = ArrayPool<int>.Shared.Rent(m);
            Target = ArrayPool<int>.Shared.Rent(links);
            Visited = ArrayPool<bool>.Shared.Rent(m);
            Ux = ArrayPool<double>.Shared.Rent(m);
            Uy = ArrayPool<double>.Shared.Rent(m);
            Uz = ArrayPool<double>.Shared.Rent(m);
            Dx = ArrayPool<float>.Shared.Rent(links);
            Dy = ArrayPool<float>.Shared.Rent(links);
            Dz = ArrayPool<float>.Shared.Rent(links);
        }

        public readonly void Return()
        {
            ArrayPool<int>.Shared.Return(Parent);
            ArrayPool<int>.Shared.Return(Size);
            ArrayPool<int>.Shared.Return(Label);
            ArrayPool<int>.Shared.Return(Degree);
            ArrayPool<int>.Shared.Return(Start);
            ArrayPool<int>.Shared.Return(Queue);
            ArrayPool<int>.Shared.Return(Target);
            ArrayPool<bool>.Shared.Return(Visited);
            ArrayPool<double>.Shared.Return(Ux);
            ArrayPool<double>.Shared.Return(Uy);
            ArrayPool<double>.Shared.Return(Uz);
            ArrayPool<float>.Shared.Return(Dx);
            ArrayPool<float>.Shared.Return(Dy);
            ArrayPool<float>.Shared.Return(Dz);
        }
    }
}
