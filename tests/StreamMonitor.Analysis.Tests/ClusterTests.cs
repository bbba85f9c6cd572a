using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Tests;

public sealed class ClusterTests
{
    private static readonly SimulationBox Cube = SimulationBox.Orthogonal(8, 8, 8);
    private static readonly SimulationBox Triclinic = new(new(8, 0, 0), new(2.5, 7.5, 0), new(-1.5, 2, 8.5), new(-3, 1, 0.5));

    private const double ManyPointsCutoff = 1.25;

    /// <summary>100 000 random points in a 54³ box (about 5 neighbours each within <see cref="ManyPointsCutoff"/>), and the generator for more.</summary>
    private static (Random Random, SimulationBox Box, float[] X, float[] Y, float[] Z) ManyRandomPoints(int seed)
    {
        var random = new Random(seed);
        var box = SimulationBox.Orthogonal(54, 54, 54);
        var (x, y, z) = RandomPoints(box, 100_000, random);
        return (random, box, x, y, z);
    }

    private static (float[] X, float[] Y, float[] Z) RandomPoints(SimulationBox box, int n, Random random)
    {
        var (x, y, z) = (new float[n], new float[n], new float[n]);
        for (int i = 0; i < n; i++)
        {
            var r = box.ToCartesian(random.NextDouble(), random.NextDouble(), random.NextDouble());
            (x[i], y[i], z[i]) = ((float)r.X, (float)r.Y, (float)r.Z);
        }
        return (x, y, z);
    }

    /// <summary>Components by flood fill over every periodic image closer than the cutoff, the slow obvious way.</summary>
    private static int[] FloodFill(SimulationBox box, float[] x, float[] y, float[] z, bool[] member, double cutoff)
    {
        var cell = new PeriodicCell(box);
        int n = x.Length;
        var shifts = new List<Vector3d>();
        for (int a = -1; a <= 1; a++)
            for (int b = -1; b <= 1; b++)
                for (int c = -1; c <= 1; c++)
                    shifts.Add(cell.Shift(a, b, c));
        bool Linked(int i, int j) => shifts.Any(s => (new Vector3d(x[j], y[j], z[j]) + s - new Vector3d(x[i], y[i], z[i])).Length < cutoff);
        var label = Enumerable.Repeat(-1, n).ToArray();
        int next = 0;
        for (int seed = 0; seed < n; seed++)
        {
            if (!member[seed] || label[seed] >= 0) continue;
            var queue = new Queue<int>([seed]);
            label[seed] = next;
            while (queue.TryDequeue(out int i))
                for (int j = 0; j < n; j++)
                    if (member[j] && label[j] < 0 && Linked(i, j))
                    {
                        label[j] = next;
                        queue.Enqueue(j);
                    }
            next++;
        }
        return label;
    }

    /// <summary>Components of the members by a walk from each unlabelled member over <paramref name="linked"/> (members only).</summary>
    private static int[] Walk(bool[] member, Func<int, IEnumerable<int>> linked)
    {
        var label = Enumerable.Repeat(-1, member.Length).ToArray();
        for (int seed = 0, next = 0; seed < member.Length; seed++)
        {
            if (!member[seed] || label[seed] >= 0) continue;
            var stack = new Stack<int>([seed]);
            label[seed] = next;
            while (stack.TryPop(out int i))
                foreach (int j in linked(i))
                    if (member[j] && label[j] < 0)
                    {
                        label[j] = next;
                        stack.Push(j);
                    }
            next++;
        }
        return label;
    }

    /// <summary>The partition as sets of particle indices, in a canonical order, for comparing labellings.</summary>
    private static List<string> Partition(ReadOnlySpan<int> labels, Func<int, bool> isMember)
    {
        var groups = new Dictionary<int, List<int>>();
        for (int i = 0; i < labels.Length; i++)
            if (isMember(i))
                (groups.TryGetValue(labels[i], out var g) ? g : groups[labels[i]] = []).Add(i);
        return groups.Values.Select(g => string.Join(',', g)).Order(StringComparer.Ordinal).ToList();
    }

    public static TheoryData<string, int> RandomCases => new()
    {
        { "cube", 1 }, { "cube", 2 }, { "cube", 3 }, { "triclinic", 4 }, { "triclinic", 5 },
    };

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void ClustersOfRandomPointsMatchAFloodFillOverPeriodicImages(string boxName, int seed)
    {
        var box = boxName == "cube" ? Cube : Triclinic;
        var random = new Random(seed);
        const double cutoff = 1.25;
        var (x, y, z) = RandomPoints(box, 320, random);
        var member = Enumerable.Range(0, x.Length).Select(_ => random.NextDouble() < 0.55).ToArray();
        var list = new NeighborQuery(box, x, y, z, cutoff).WithinCutoff(cutoff);

        var result = new ClusterAnalysis().Compute(list, member, box, x, y, z);
        var expected = FloodFill(box, x, y, z, member, cutoff);

        Assert.Equal(member.Count(m => m), result.MemberCount);
        Assert.Equal(Partition(expected, i => member[i]), Partition(result.ClusterIds, i => member[i]));
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(member[i], result.ClusterIds[i] > 0);

        // Ids rank the clusters by size (ties: the cluster with the lowest particle index first).
        var sizes = Enumerable.Range(1, result.Count).Select(k => result.ClusterIds.ToArray().Count(c => c == k)).ToArray();
        Assert.Equal(sizes, result.Clusters.Select(c => c.Size));
        Assert.Equal(Enumerable.Range(1, result.Count), result.Clusters.Select(c => c.Id));
        var firstIndex = Enumerable.Range(1, result.Count).Select(k => Array.IndexOf(result.ClusterIds.ToArray(), k)).ToArray();
        for (int k = 1; k < result.Count; k++)
            Assert.True(sizes[k - 1] > sizes[k] || (sizes[k - 1] == sizes[k] && firstIndex[k - 1] < firstIndex[k]), $"cluster {k + 1} out of order");
        Assert.Equal(sizes.Max(), result.LargestSize);
        Assert.True(result.Count > 5, "the case should have several clusters");

        // The same list in cell order gives every particle the same cluster, and the clusters the same figures (up to the
        // single-precision displacements summed along other paths through the cluster).
        var inCellOrder = new ClusterAnalysis().Compute(new NeighborQuery(box, x, y, z, cutoff).WithinCutoffInCellOrder(cutoff), member, box, x, y, z);
        Assert.Equal(result.ClusterIds.ToArray(), inCellOrder.ClusterIds.ToArray());
        Assert.Equal(result.Count, inCellOrder.Count);
        for (int k = 0; k < result.Count; k++)
        {
            var (a, b) = (result.Clusters[k], inCellOrder.Clusters[k]);
            Assert.Equal((a.Id, a.Size, a.Percolation), (b.Id, b.Size, b.Percolation));
            Assert.True((a.CenterOfMass - b.CenterOfMass).Length < 1e-5 || a.Percolating, $"cluster {a.Id}: centre {a.CenterOfMass} vs {b.CenterOfMass}");
            Assert.Equal(a.RadiusOfGyration, b.RadiusOfGyration, 1e-5);
        }
    }

    /// <summary>
    /// A large frame with few clusters — a slab spanning the box in a and b, a ball in the middle, stray members — is
    /// described in stretches of members summed apart: the figures do not depend on the cores lent, and they are the
    /// ones direct sums over each cluster's members give.
    /// </summary>
    [Fact]
    public void ALargeFramesFewClustersAreDescribedInStretchesAsByDirectSums()
    {
        var (random, box, x, y, z) = ManyRandomPoints(11);
        bool InBall(int i) => Math.Pow(x[i] - 27, 2) + Math.Pow(y[i] - 27, 2) + Math.Pow(z[i] - 40, 2) < 36;
        bool InSlab(int i) => z[i] is > 8 and < 14;
        var member = Enumerable.Range(0, x.Length).Select(i => InBall(i) || InSlab(i) || random.NextDouble() < 0.02).ToArray();
        var list = new NeighborQuery(box, x, y, z, ManyPointsCutoff).WithinCutoffInCellOrder(ManyPointsCutoff);

        var result = new ClusterAnalysis(cores: new CoreBudget(4)).Compute(list, member, box, x, y, z);
        var oneCore = new ClusterAnalysis(cores: new CoreBudget(1)).Compute(list, member, box, x, y, z);

        Assert.InRange(result.Count, 3, 4096);
        Assert.Equal(result.Clusters, oneCore.Clusters);
        var slab = result.Clusters[0];
        var ball = result.Clusters.Single(c => c.Id == result.ClusterIds[Enumerable.Range(0, x.Length).First(i => InBall(i) && !InSlab(i))]);
        Assert.Equal(LatticeDirections.A | LatticeDirections.B, slab.Percolation);
        Assert.Equal(LatticeDirections.None, ball.Percolation);
        var inBall = Enumerable.Range(0, x.Length).Where(i => result.ClusterIds[i] == ball.Id).ToArray();
        var inSlab = Enumerable.Range(0, x.Length).Where(i => result.ClusterIds[i] == slab.Id).ToArray();
        Assert.Equal(inBall.Length, ball.Size);
        var centre = new Vector3d(inBall.Average(i => (double)x[i]), inBall.Average(i => (double)y[i]), inBall.Average(i => (double)z[i]));
        Assert.True((ball.CenterOfMass - centre).Length < 1e-6, $"ball centre {ball.CenterOfMass} vs {centre}");
        double rg = Math.Sqrt(inBall.Average(i => (new Vector3d(x[i], y[i], z[i]) - centre).Dot(new Vector3d(x[i], y[i], z[i]) - centre)));
        Assert.Equal(rg, ball.RadiusOfGyration, 1e-6);
        // Along c the slab keeps its unwrapped mean: the mean height of its members.
        Assert.Equal(inSlab.Average(i => (double)z[i]), slab.CenterOfMass.Z, 1e-6);
    }

    /// <summary>
    /// Enough particles that the links are joined in parallel stretches of positions and then across them: the
    /// partition is the one a walk over the list finds, in particle and in cell order, near the
    /// percolation threshold (about 2.9 member neighbours each), so clusters of every size cross the stretches.
    /// </summary>
    [Fact]
    public void ClustersOfManyPointsJoinedInStretchesMatchAWalkOverTheList()
    {
        var (random, box, x, y, z) = ManyRandomPoints(7);
        const double cutoff = ManyPointsCutoff;
        var member = Enumerable.Range(0, x.Length).Select(_ => random.NextDouble() < 0.55).ToArray();
        var list = new NeighborQuery(box, x, y, z, cutoff).WithinCutoff(cutoff);

        var result = new ClusterAnalysis().Compute(list, member, box, x, y, z);

        var label = Walk(member, i => list.Neighbors(i).ToArray());
        Assert.Equal(member.Count(m => m), result.MemberCount);
        Assert.Equal(Partition(label, i => member[i]), Partition(result.ClusterIds, i => member[i]));
        Assert.True(result.LargestSize > 1000 && result.Count > 1000, $"{result.Count} clusters, the largest {result.LargestSize}");

        var inCellOrder = new ClusterAnalysis().Compute(new NeighborQuery(box, x, y, z, cutoff).WithinCutoffInCellOrder(cutoff), member, box, x, y, z);
        Assert.Equal(result.ClusterIds.ToArray(), inCellOrder.ClusterIds.ToArray());
        for (int k = 0; k < result.Count; k++)
        {
            var (a, b) = (result.Clusters[k], inCellOrder.Clusters[k]);
            Assert.Equal((a.Id, a.Size, a.Percolation), (b.Id, b.Size, b.Percolation));
            Assert.Equal(a.RadiusOfGyration, b.RadiusOfGyration, 1e-4);
        }
    }

    [Fact]
    public void AOneSidedNearestNeighbourListLinksInEitherDirection()
    {
        var random = new Random(11);
        var (x, y, z) = RandomPoints(Cube, 200, random);
        var member = Enumerable.Range(0, x.Length).Select(_ => random.NextDouble() < 0.5).ToArray();
        var list = new NeighborQuery(Cube, x, y, z, 1.5).Nearest(2, cutoff: 1.5);

        var result = new ClusterAnalysis().Compute(list, member, Cube, x, y, z);

        // Flood fill over the list's entries taken both ways.
        var adjacency = Enumerable.Range(0, x.Length).Select(_ => new HashSet<int>()).ToArray();
        for (int i = 0; i < x.Length; i++)
            foreach (int j in list.Neighbors(i))
                if (member[i] && member[j])
                {
                    adjacency[i].Add(j);
                    adjacency[j].Add(i);
                }
        var label = Walk(member, i => adjacency[i]);
        Assert.Equal(Partition(label, i => member[i]), Partition(result.ClusterIds, i => member[i]));
        // The walk that unwraps each cluster reaches all its members (its size is the member count).
        foreach (var c in result.Clusters)
            Assert.Equal(result.ClusterIds.ToArray().Count(k => k == c.Id), c.Size);
    }

    /// <summary>A compact blob: the points of a simple cubic lattice (spacing 1) inside a sphere, plus a few in a tail.</summary>
    private static List<Vector3d> Blob()
    {
        var points = new List<Vector3d>();
        for (int i = -3; i <= 3; i++)
            for (int j = -3; j <= 3; j++)
                for (int k = -3; k <= 3; k++)
                    if (i * i + j * j + k * k <= 7) points.Add(new(i, j, k));
        for (int t = 3; t <= 5; t++) points.Add(new(t, 0, 0)); // asymmetric, so the centre is not a lattice point
        return points;
    }

    private static (float[] X, float[] Y, float[] Z) Place(SimulationBox box, List<Vector3d> points, Vector3d at)
    {
        var cell = new PeriodicCell(box);
        var (x, y, z) = (new float[points.Count], new float[points.Count], new float[points.Count]);
        for (int i = 0; i < points.Count; i++)
        {
            var r = cell.Wrap(points[i] + at);
            (x[i], y[i], z[i]) = ((float)r.X, (float)r.Y, (float)r.Z);
        }
        return (x, y, z);
    }

    [Theory]
    [InlineData("cube")]
    [InlineData("triclinic")]
    public void ACenterOfMassSplitByTheBoundaryEqualsTheSameClusterInTheMiddle(string boxName)
    {
        // A bigger box than the blob, so the blob does not reach its own image.
        var box = boxName == "cube"
            ? SimulationBox.Orthogonal(20, 20, 20)
            : new SimulationBox(new(20, 0, 0), new(4, 19, 0), new(-3, 5, 21), new(-2, 3, 1));
        var cell = new PeriodicCell(box);
        var blob = Blob();
        var member = Enumerable.Repeat(true, blob.Count).ToArray();
        var analysis = new ClusterAnalysis();
        ClusterResult At(Vector3d where)
        {
            var (x, y, z) = Place(box, blob, where);
            return analysis.Compute(new NeighborQuery(box, x, y, z, 1.1).WithinCutoff(1.1), member, box, x, y, z);
        }

        var middle = box.ToCartesian(0.5, 0.5, 0.5);
        var corner = box.ToCartesian(0.02, 0.99, 0.01); // split across all three pairs of faces
        var inMiddle = At(middle);
        var split = At(corner);

        Assert.Equal(1, inMiddle.Count);
        Assert.Equal(1, split.Count);
        Assert.False(split.Largest!.Value.Percolating);
        // The blob's own centre, placed at `where`.
        var mean = new Vector3d(blob.Average(p => p.X), blob.Average(p => p.Y), blob.Average(p => p.Z));
        AssertClose(cell.Wrap(mean + middle), inMiddle.Largest!.Value.CenterOfMass, 1e-4);
        AssertClose(cell.Wrap(mean + corner), split.Largest.Value.CenterOfMass, 1e-4);
        // The split COM is the middle one translated back, up to a lattice vector.
        var back = cell.MinimumImage(split.Largest.Value.CenterOfMass - (inMiddle.Largest.Value.CenterOfMass - middle + corner));
        Assert.True(back.Length < 1e-4, $"COM differs by {back}");
        Assert.Equal(inMiddle.Largest.Value.RadiusOfGyration, split.Largest.Value.RadiusOfGyration, 4);
    }

    [Fact]
    public void RadiusOfGyrationOfACubeOfPoints()
    {
        // m × m × m simple cubic points with spacing d: Rg² = 3 d² (m² − 1) / 12.
        const int m = 5;
        const double d = 1.0;
        var points = new List<Vector3d>();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < m; k++)
                    points.Add(new(i * d, j * d, k * d));
        var box = SimulationBox.Orthogonal(12, 12, 12);
        var (x, y, z) = Place(box, points, new(10, 10, 10)); // wrapped across every face
        var member = Enumerable.Repeat(true, points.Count).ToArray();

        var result = new ClusterAnalysis().Compute(new NeighborQuery(box, x, y, z, 1.2).WithinCutoff(1.2), member, box, x, y, z);

        Assert.Equal(1, result.Count);
        var c = result.Largest!.Value;
        Assert.Equal(Math.Sqrt(3 * d * d * (m * m - 1) / 12.0), c.RadiusOfGyration, 5);
        AssertClose(new Vector3d(0, 0, 0), c.CenterOfMass, 1e-5); // 10 + 2 = 12 ≡ 0
        Assert.Equal(LatticeDirections.None, c.Percolation);
    }

    [Fact]
    public void ASlabSpanningTheBoxPercolatesInItsPlaneAndKeepsItsPositionAcross()
    {
        // 8 × 8 points per layer in an 8 × 8 × 16 box, three layers at z = 15, 0, 1: the slab spans x and y and straddles z = 0.
        var box = SimulationBox.Orthogonal(8, 8, 16);
        var points = new List<Vector3d>();
        foreach (double zl in new[] { 15.0, 16.0, 17.0 })
            for (int i = 0; i < 8; i++)
                for (int j = 0; j < 8; j++)
                    points.Add(new(i + 0.5, j + 0.5, zl));
        var (x, y, z) = Place(box, points, Vector3d.Zero);
        var member = Enumerable.Repeat(true, points.Count).ToArray();

        var result = new ClusterAnalysis().Compute(new NeighborQuery(box, x, y, z, 1.1).WithinCutoff(1.1), member, box, x, y, z);

        Assert.Equal(1, result.Count);
        var slab = result.Largest!.Value;
        Assert.True(slab.Percolating);
        Assert.Equal(LatticeDirections.A | LatticeDirections.B, slab.Percolation);
        Assert.Equal(0.0, slab.CenterOfMass.Z, 4); // middle layer at 16 ≡ 0, across the boundary
        // In the plane the spread is within one period (a full periodic layer has no preferred centre): at most the
        // spread about the worst centre, on a point of the layer (nearest-image offsets −4 … 3: mean square 44 / 8 per
        // direction), at least the slab's thickness.
        Assert.InRange(slab.RadiusOfGyration, Math.Sqrt(2.0 / 3.0), Math.Sqrt(2 * 44.0 / 8 + 2.0 / 3.0));
    }

    [Fact]
    public void AParticleBondedToItsOwnImageInATinyBoxPercolates()
    {
        // One particle in a box narrower than the cutoff along a: the list holds its own images.
        var box = SimulationBox.Orthogonal(1.0, 5, 5);
        float[] x = [0.5f], y = [2.5f], z = [2.5f];
        var result = new ClusterAnalysis().Compute(new NeighborQuery(box, x, y, z, 1.2).WithinCutoff(1.2), [true], box, x, y, z);
        Assert.Equal(LatticeDirections.A, result.Largest!.Value.Percolation);
    }

    [Fact]
    public void NoMembersGiveNoClustersAndBondCutoffSplits()
    {
        var box = SimulationBox.Orthogonal(10, 10, 10);
        float[] x = [1, 2, 3.5f, 8], y = [1, 1, 1, 1], z = [1, 1, 1, 1];
        var list = new NeighborQuery(box, x, y, z, 2).WithinCutoff(2);

        var none = new ClusterAnalysis().Compute(list, new bool[4], box, x, y, z);
        Assert.Equal(0, none.Count);
        Assert.Equal(0, none.LargestSize);
        Assert.Null(none.Largest);
        Assert.All(none.ClusterIds.ToArray(), id => Assert.Equal(0, id));

        bool[] all = [true, true, true, true];
        var wide = new ClusterAnalysis().Compute(list, all, box, x, y, z);
        Assert.Equal([1, 1, 1, 2], wide.ClusterIds.ToArray());
        var narrow = new ClusterAnalysis(bondCutoff: 1.2).Compute(list, all, box, x, y, z);
        Assert.Equal([1, 1, 2, 3], narrow.ClusterIds.ToArray());
        Assert.Equal([2, 1, 1], narrow.Clusters.Select(c => c.Size));
    }

    private static void AssertClose(Vector3d expected, Vector3d actual, double tolerance) =>
        Assert.True((expected - actual).Length < tolerance, $"expected {expected}, got {actual}");
}
