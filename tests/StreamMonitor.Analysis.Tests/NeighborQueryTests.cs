using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Analysis.Tests;

public sealed class NeighborQueryTests
{
    /// <summary>Every image of every particle within the cutoff, by trying all lattice shifts up to a generous range.</summary>
    private static List<(int J, double D)>[] BruteForce(SimulationBox box, float[] x, float[] y, float[] z, double cutoff)
    {
        var cell = new PeriodicCell(box);
        var w = cell.Widths;
        int ma = (int)Math.Ceiling(cutoff / w.X) + 1, mb = (int)Math.Ceiling(cutoff / w.Y) + 1, mc = (int)Math.Ceiling(cutoff / w.Z) + 1;
        var result = new List<(int, double)>[x.Length];
        var wrapped = Enumerable.Range(0, x.Length).Select(i => cell.Wrap(new Vector3d(x[i], y[i], z[i]))).ToArray();
        var shifts = new List<(int, int, int, Vector3d)>();
        for (int a = -ma; a <= ma; a++)
            for (int b = -mb; b <= mb; b++)
                for (int c = -mc; c <= mc; c++)
                    shifts.Add((a, b, c, cell.Shift(a, b, c)));
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = [];
            var ri = wrapped[i];
            for (int j = 0; j < x.Length; j++)
            {
                var rj = wrapped[j];
                foreach (var (a, b, c, shift) in shifts)
                {
                    if (i == j && a == 0 && b == 0 && c == 0) continue;
                    double d = (rj + shift - ri).Length;
                    if (d < cutoff) result[i].Add((j, d));
                }
            }
            result[i].Sort((p, q) => p.Item2.CompareTo(q.Item2));
        }
        return result;
    }

    private static (SimulationBox, float[], float[], float[]) Random(SimulationBox box, int n, int seed)
    {
        var random = new Random(seed);
        var (x, y, z) = (new float[n], new float[n], new float[n]);
        for (int i = 0; i < n; i++)
        {
            // Some positions outside the cell on purpose: the query must wrap them.
            var r = box.ToCartesian(random.NextDouble() * 1.4 - 0.2, random.NextDouble() * 1.4 - 0.2, random.NextDouble() * 1.4 - 0.2);
            (x[i], y[i], z[i]) = ((float)r.X, (float)r.Y, (float)r.Z);
        }
        return (box, x, y, z);
    }

    public static TheoryData<string, double> Boxes => new()
    {
        { "orthogonal", 2.5 },
        { "triclinic", 2.5 },
        { "triclinic", 4.4 },   // close to half the smallest width
        { "skewed", 3.0 },
        { "thin", 3.5 },        // cutoff wider than the box along c: several images of the same particle
    };

    private static SimulationBox BoxNamed(string name) => name switch
    {
        "orthogonal" => SimulationBox.Orthogonal(10, 11, 12, new Vector3d(-3, 1, 2)),
        "triclinic" => SimulationBox.FromLammps(0, 10, 0, 10, 0, 9, xy: 2.5, xz: -1.5, yz: 3),
        "skewed" => new SimulationBox(new(9, 0.5, -0.3), new(4, 8, 0.7), new(-2, 3, 8.5), new(1, 1, 1)),
        _ => SimulationBox.FromLammps(0, 12, 0, 11, 0, 3.2, xy: 1, xz: 0.5, yz: -0.7),
    };

    [Theory]
    [MemberData(nameof(Boxes))]
    public void CutoffListsMatchBruteForce(string boxName, double cutoff)
    {
        var (box, x, y, z) = Random(BoxNamed(boxName), 300, boxName.Length);
        var expected = BruteForce(box, x, y, z, cutoff);
        var query = new NeighborQuery(box, x, y, z, cellSize: cutoff * 0.7);
        var list = query.WithinCutoff(cutoff);
        var counts = query.CountWithin(cutoff);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(expected[i].Count, list.CountOf(i));
            Assert.Equal(expected[i].Count, counts[i]);
            Assert.Equal(expected[i].Select(p => p.D), list.Distances(i).ToArray().Select(d => (double)d), new Tolerance(1e-4));
            Assert.Equal(expected[i].Select(p => p.J).Order(), list.Neighbors(i).ToArray().Order());
            for (int m = 0; m < list.CountOf(i); m++)
            {
                double len = Math.Sqrt(list.Dx(i)[m] * list.Dx(i)[m] + list.Dy(i)[m] * list.Dy(i)[m] + list.Dz(i)[m] * list.Dz(i)[m]);
                Assert.Equal(list.Distances(i)[m], len, 1e-4);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Boxes))]
    public void AnUnsortedListHoldsTheSortedListsEntriesAndCappedCountsReachTheirLimit(string boxName, double cutoff)
    {
        var (box, x, y, z) = Random(BoxNamed(boxName), 300, boxName.Length + 7);
        var query = new NeighborQuery(box, x, y, z, cellSize: cutoff * 0.7);
        var sorted = query.WithinCutoff(cutoff);
        var unsorted = query.WithinCutoff(cutoff, sorted: false);
        Assert.True(sorted.SortedByDistance);
        Assert.False(unsorted.SortedByDistance);
        Assert.True(sorted.Offsets.SequenceEqual(unsorted.Offsets));
        static IEnumerable<(int, float, float, float, float)> Entries(NeighborList list, int i) =>
            Enumerable.Range(0, list.CountOf(i))
                .Select(k => (list.Neighbors(i)[k], list.Dx(i)[k], list.Dy(i)[k], list.Dz(i)[k], list.Distances(i)[k])).Order();
        for (int i = 0; i < x.Length; i++) Assert.Equal(Entries(sorted, i), Entries(unsorted, i));
        var cellOrder = query.WithinCutoffInCellOrder(cutoff);
        Assert.True(cellOrder.Permuted);
        Assert.Equal(Enumerable.Range(0, x.Length), cellOrder.Order.ToArray().Order());
        var back = cellOrder.InParticleOrder();
        Assert.False(back.Permuted);
        Assert.True(sorted.Offsets.SequenceEqual(back.Offsets));
        // The same entries; its distances are worked out from the stored (single-precision) displacements, so they may
        // differ from the search's in the last place.
        static IEnumerable<(int, float, float, float)> Displacements(NeighborList list, int i) =>
            Entries(list, i).Select(e => (e.Item1, e.Item2, e.Item3, e.Item4));
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Displacements(sorted, i), Displacements(back, i));
            foreach (var ((_, _, _, _, expected), (_, _, _, _, actual)) in Entries(sorted, i).Zip(Entries(back, i)))
                Assert.Equal(expected, actual, expected * 2.5e-7f);
        }
        var nearest = query.Nearest(6, cutoff);
        var nearestUnsorted = query.Nearest(6, cutoff, sorted: false);
        Assert.False(nearestUnsorted.SortedByDistance);
        Assert.True(nearest.Offsets.SequenceEqual(nearestUnsorted.Offsets));
        for (int i = 0; i < x.Length; i++) Assert.Equal(Entries(nearest, i), Entries(nearestUnsorted, i));

        // A capped count is exact below the limit and at least the limit above it.
        var full = query.CountWithin(cutoff);
        int limit = (int)full.Average();
        var capped = query.CountWithin(cutoff, limit: limit);
        for (int i = 0; i < x.Length; i++)
        {
            if (full[i] < limit) Assert.Equal(full[i], capped[i]);
            else Assert.InRange(capped[i], limit, full[i]);
        }
        Assert.Contains(full, c => c > limit);
        Assert.Throws<ArgumentException>(() => new OrderParameters.Steinhardt([6], nearest: 4).Compute(unsorted));
    }

    [Theory]
    [MemberData(nameof(Boxes))]
    public void NearestListsAreTheFirstKOfBruteForce(string boxName, double cutoff)
    {
        var (box, x, y, z) = Random(BoxNamed(boxName), 300, 7 * boxName.Length);
        var expected = BruteForce(box, x, y, z, cutoff);
        var query = new NeighborQuery(box, x, y, z, cellSize: 1.0);
        var withCutoff = query.Nearest(12, cutoff);
        var unlimited = query.Nearest(5);
        var wide = BruteForce(box, x, y, z, unlimited.Cutoff);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(expected[i].Take(12).Select(p => p.D), withCutoff.Distances(i).ToArray().Select(d => (double)d), new Tolerance(1e-4));
            Assert.Equal(5, unlimited.CountOf(i));
            Assert.Equal(wide[i].Take(5).Select(p => p.D), unlimited.Distances(i).ToArray().Select(d => (double)d), new Tolerance(1e-4));
        }
    }

    [Fact]
    public void RealLammpsFramesMatchBruteForceOnBothCoresToo()
    {
        using var temp = new TempDirectory();
        var dump = Lammps.RunQuench(temp.Path, cells: 5, runSteps: 200, dumpEvery: 200);
        using var reader = TrajectoryReader.Open(dump);
        Assert.True(reader.SeekFrame(1));
        using (var frame = reader.Read()!)
        {
            var (x, y, z) = (frame.X.ToArray(), frame.Y.ToArray(), frame.Z.ToArray());
            var expected = BruteForce(frame.Box, x, y, z, 1.5);
            // 500 atoms: below the parallel threshold; the 4096-atom path is covered by replicating the frame.
            var list = NeighborQuery.FromFrame(frame, 1.5).WithinCutoff(1.5);
            for (int i = 0; i < x.Length; i++)
                Assert.Equal(expected[i].Select(p => p.J).Order(), list.Neighbors(i).ToArray().Order());

            using var big = Supercell.Of(frame, 2, 2, 2);
            var bigList = NeighborQuery.FromFrame(big, 1.5).WithinCutoff(1.5);
            Assert.Equal(8 * list.PairCount, bigList.PairCount);
            for (int i = 0; i < x.Length; i++)
                Assert.Equal(list.Distances(i).ToArray(), bigList.Distances(i).ToArray(), new Tolerance(1e-4f));
        }
    }

    [Theory]
    [MemberData(nameof(Boxes))]
    public void VectorisedAndScalarSearchesGiveIdenticalLists(string boxName, double cutoff)
    {
        var (box, x, y, z) = Random(BoxNamed(boxName), 300, 3 * boxName.Length);
        AssertSameSearch(box, x, y, z, cellSize: cutoff * 0.6, cutoff);
    }

    [Fact]
    public void VectorisedAndScalarSearchesGiveIdenticalListsInParallelChunks()
    {
        // Above the parallel threshold: the rows are found in chunks of cells and copied back in order of particle.
        var (box, x, y, z) = Random(SimulationBox.Orthogonal(30, 31, 29, new Vector3d(0, 0, 0)), 25000, 11);
        AssertSameSearch(box, x, y, z, cellSize: 1.5, cutoff: 1.5);
    }

    [Fact]
    public void ADisposedListGivesItsRowsBackAndCanNoLongerBeRead()
    {
        var (box, x, y, z) = Random(SimulationBox.Orthogonal(12, 12, 12, new Vector3d(0, 0, 0)), 1500, 3);
        var query = new NeighborQuery(box, x, y, z, 1.5);
        var list = query.WithinCutoffInCellOrder(1.5);
        var inParticleOrder = list.InParticleOrder();
        int pairs = list.PairCount;
        Assert.True(pairs > 0);
        Assert.Equal(pairs, list.AllNeighbors.Length);

        list.Dispose();
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => list.AllNeighbors.ToArray());
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => list.Neighbors(list.Count - 1).ToArray());
        list.Dispose(); // twice is harmless

        // The copy in particle order owns fresh arrays: it is whole, and disposing it leaves it whole.
        inParticleOrder.Dispose();
        Assert.Equal(pairs, inParticleOrder.AllNeighbors.Length);
        // A new list after the first gave its rows back: the same entries as one built before.
        var again = query.WithinCutoffInCellOrder(1.5);
        Assert.Equal(inParticleOrder.AllNeighbors.ToArray(), again.InParticleOrder().AllNeighbors.ToArray());
    }

    /// <summary>
    /// Queries one after another, each disposed before the next, on fewer particles each time: each rents the arrays the
    /// one before gave back, longer than it needs and full of the other frame's positions, and still finds exactly
    /// brute force's neighbours; lists outlive the query that built them; a disposed query answers nothing.
    /// </summary>
    [Fact]
    public void QueriesOnArraysTheirPredecessorsGaveBackFindWhatBruteForceFinds()
    {
        var box = SimulationBox.Orthogonal(30, 31, 29, new Vector3d(0, 0, 0));
        NeighborList? kept = null;
        List<int>[]? keptExpected = null;
        foreach (int n in new[] { 5000, 3000, 1500 })
        {
            var (_, x, y, z) = Random(box, n, n);
            var expected = MinimumImageNeighbors(box, x, y, z, 1.5);
            var query = new NeighborQuery(box, x, y, z, 1.5);
            var list = query.WithinCutoffInCellOrder(1.5).InParticleOrder();
            var counts = query.CountWithin(1.5);
            query.Dispose();
            query.Dispose(); // twice is harmless
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(expected[i].Count, counts[i]);
                Assert.Equal(expected[i], list.Neighbors(i).ToArray().Order());
            }
            Assert.Throws<ObjectDisposedException>(() => query.WithinCutoff(1.5));
            Assert.Throws<ObjectDisposedException>(() => query.CountWithin(1.5));
            (kept, keptExpected) = (kept ?? list, keptExpected ?? expected);
        }
        // The first list is unchanged by the queries that reused its query's arrays.
        for (int i = 0; i < kept!.Count; i++)
            Assert.Equal(keptExpected![i], kept.Neighbors(i).ToArray().Order());
    }

    /// <summary>Every other particle whose minimum image is within the cutoff, in index order (a cutoff under half the box).</summary>
    private static List<int>[] MinimumImageNeighbors(SimulationBox box, float[] x, float[] y, float[] z, double cutoff)
    {
        var cell = new PeriodicCell(box);
        var result = new List<int>[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = [];
            for (int j = 0; j < x.Length; j++)
                if (j != i && cell.MinimumImage(new Vector3d((double)x[j] - x[i], (double)y[j] - y[i], (double)z[j] - z[i])).Length < cutoff) result[i].Add(j);
        }
        return result;
    }

    private static void AssertSameSearch(SimulationBox box, float[] x, float[] y, float[] z, double cellSize, double cutoff)
    {
        var cores = new CoreBudget(2);
        var scalar = new NeighborQuery(box, x, y, z, cellSize, cores, lanes: 1);
        // Every vector width this machine has: four lanes, and eight with AVX-512.
        foreach (int lanes in new[] { 4, 8 }.Where(l => l <= NeighborQuery.WidestLanes))
            AssertSameSearch(scalar, new NeighborQuery(box, x, y, z, cellSize, cores, lanes), cutoff);
    }

    private static void AssertSameSearch(NeighborQuery scalar, NeighborQuery vectorised, double cutoff)
    {
        AssertIdentical(scalar.WithinCutoff(cutoff), vectorised.WithinCutoff(cutoff));
        AssertIdentical(scalar.Nearest(12, cutoff), vectorised.Nearest(12, cutoff));
        Assert.Equal(scalar.CountWithin(cutoff), vectorised.CountWithin(cutoff));
        // A count that stops at its limit is only "the limit or more" past it.
        Assert.Equal(scalar.CountWithin(cutoff, limit: 5).Select(c => Math.Min(c, 5)), vectorised.CountWithin(cutoff, limit: 5).Select(c => Math.Min(c, 5)));
        // Unsorted lists keep the order the search met the neighbours in; in cell order, with AVX-512, the vectorised
        // search stores each vector's neighbours at once.
        AssertIdentical(scalar.WithinCutoff(cutoff, sorted: false), vectorised.WithinCutoff(cutoff, sorted: false));
        var inCellOrder = vectorised.WithinCutoffInCellOrder(cutoff);
        AssertIdentical(scalar.WithinCutoffInCellOrder(cutoff), inCellOrder);
        Assert.Equal(scalar.WithinCutoffInCellOrder(cutoff).Order.ToArray(), inCellOrder.Order.ToArray());
    }

    private static void AssertIdentical(NeighborList expected, NeighborList actual)
    {
        Assert.True(expected.PairCount > 0);
        Assert.Equal(expected.Offsets.ToArray(), actual.Offsets.ToArray());
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.Neighbors(i).ToArray(), actual.Neighbors(i).ToArray());
            Assert.Equal(expected.Dx(i).ToArray(), actual.Dx(i).ToArray());
            Assert.Equal(expected.Dy(i).ToArray(), actual.Dy(i).ToArray());
            Assert.Equal(expected.Dz(i).ToArray(), actual.Dz(i).ToArray());
            Assert.Equal(expected.Distances(i).ToArray(), actual.Distances(i).ToArray());
        }
    }

    [Fact]
    public void MinimumImageIsTheShortestImageWithinHalfTheCell()
    {
        var cell = new PeriodicCell(BoxNamed("skewed"));
        var random = new Random(5);
        for (int t = 0; t < 2000; t++)
        {
            var d = new Vector3d(random.NextDouble() * 60 - 30, random.NextDouble() * 60 - 30, random.NextDouble() * 60 - 30);
            var shortest = Enumerable.Range(-6, 13).SelectMany(a => Enumerable.Range(-6, 13).SelectMany(b => Enumerable.Range(-6, 13)
                .Select(c => d + cell.Shift(a, b, c)))).MinBy(v => v.Length);
            if (shortest.Length < cell.MaxMinimumImageCutoff)
                Assert.Equal(shortest.Length, cell.MinimumImage(d).Length, 9);
        }
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>, IEqualityComparer<float>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public bool Equals(float a, float b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double obj) => 0;
        public int GetHashCode(float obj) => 0;
    }
}
