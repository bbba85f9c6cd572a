using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>
/// The structure view's snapshot on a synthetic frame whose cluster is known: a 3 × 3 × 3 cube of crystalline atoms
/// (spacing 1) centred on x = 0 of a 20-wide periodic box, so it straddles the boundary, with liquid atoms around it at
/// known distances and two crystalline atoms that are not the largest cluster.
/// </summary>
public sealed class StructureCaptureTests
{
    private const int Crystal = 0, Liquid = 1;
    private const double BondCutoff = 1.1;
    private const double NeighborCutoff = 1.0; // shell: Rg (√2 for the cube) + 2 = 3.41

    private static readonly SimulationBox Box = SimulationBox.Orthogonal(20, 20, 20);
    private static readonly string[] Classes = ["crystal", "liquid"];

    /// <summary>The atoms after the cube's 27: position, class, and whether the shell takes them in.</summary>
    private static readonly (double X, double Y, double Z, int Label, bool InShell)[] Others =
    [
        (18.0, 10, 10, Liquid, true),   // 2.0 from the centre, across the boundary
        (2.9, 10, 10, Crystal, true),   // 2.9: crystalline, but too far from the cube to bond to it
        (0, 13, 10, Liquid, true),      // 3.0
        (0, 10, 13.3, -1, true),        // 3.3, undefined
        (16.5, 10, 10, Liquid, false),  // 3.5, across the boundary
        (0, 15, 10, Liquid, false),     // 5.0
        (10, 0, 0, Crystal, false),     // a far-away crystalline pair
        (10, 1, 0, Crystal, false),
    ];

    [Fact]
    public void The_cluster_and_the_rows_within_its_shell_are_kept_unwrapped_around_its_centre()
    {
        var structure = Capture().Latest(100)!;

        Assert.Equal(27, structure.ClusterSize);
        Assert.Equal(27 + Others.Length, structure.RowsInFrame);
        int inShell = Others.Count(o => o.InShell);
        Assert.Equal(27 + inShell, structure.RowsInShell);
        Assert.Equal(27 + inShell, structure.X.Count);
        Assert.False(structure.Truncated);
        Assert.Equal(Math.Sqrt(2) + 2 * NeighborCutoff, structure.ShellRadius!.Value, 1e-4);
        Assert.Equal(10, structure.Center[1], 1e-4);
        Assert.Equal(10, structure.Center[2], 1e-4);
        Assert.Equal([20.0, 20.0, 20.0], structure.Box!.Lengths);

        // Every cube atom is there, flagged, first, at its offset from the centre: whole across the boundary.
        Assert.All(Enumerable.Range(0, 27), i => Assert.True(structure.InCluster[i]));
        Assert.Equal(27, structure.InCluster.Count(c => c));
        Assert.Equal(Sorted(CubeOffsets()), Offsets(structure).Take(27).Order(StringComparer.Ordinal));
        Assert.All(Enumerable.Range(0, 27), i => Assert.Equal(Crystal, structure.ClassIndex[i]));

        // Then the rows of the shell, nearest first, with their classes; the crystalline atom outside the cluster is not flagged.
        Assert.Equal(["(-2.0, 0.0, 0.0)", "(2.9, 0.0, 0.0)", "(0.0, 3.0, 0.0)", "(0.0, 0.0, 3.3)"], Offsets(structure).Skip(27));
        Assert.Equal([Liquid, Crystal, Liquid, RunStructure.Undefined], structure.ClassIndex.Skip(27));
        Assert.All(structure.InCluster.Skip(27), Assert.False);
        Assert.Equal(Enumerable.Repeat("Ar", 27).Concat(["Kr", "Ar", "Kr", "Kr"]), structure.Element!);
    }

    [Fact]
    public void A_cap_keeps_the_cluster_first_then_the_nearest_rows()
    {
        var capture = Capture();

        var beyondCluster = capture.Latest(29)!;
        Assert.True(beyondCluster.Truncated);
        Assert.Equal(29, beyondCluster.Cap);
        Assert.Equal(27, beyondCluster.InCluster.Count(c => c));
        Assert.Equal(["(-2.0, 0.0, 0.0)", "(2.9, 0.0, 0.0)"], Offsets(beyondCluster).Skip(27));

        // Fewer than the cluster: its atoms nearest the centre, the centre and its 6 faces then 3 of the 12 edges at √2.
        var withinCluster = capture.Latest(10)!;
        Assert.All(withinCluster.InCluster, Assert.True);
        var distances = Enumerable.Range(0, 10).Select(i => Math.Sqrt(Square(withinCluster.X[i]) + Square(withinCluster.Y[i]) + Square(withinCluster.Z[i]))).ToArray();
        Assert.Equal(7, distances.Count(d => d < 1.01));
        Assert.All(distances, d => Assert.True(d < 1.42, $"{d} from the centre"));
    }

    [Fact]
    public void A_frame_without_a_cluster_keeps_the_rows_nearest_the_box_centre_up_to_the_largest_cap()
    {
        var random = new Random(7);
        int n = RunStructure.MaxCap + 5000;
        using var frame = new Frame(n) { Box = Box, Index = 3, Step = 300 };
        for (int i = 0; i < n; i++)
            (frame.X[i], frame.Y[i], frame.Z[i]) = (20 * random.NextSingle(), 20 * random.NextSingle(), 20 * random.NextSingle());
        var labels = Enumerable.Repeat(Liquid, n).ToArray();
        var capture = new StructureCapture("test", Classes, ["crystal"], NeighborCutoff);
        capture.Capture("liquid", frame, frame.X, frame.Y, frame.Z, Enumerable.Range(0, n).ToArray(), labels, clusters: null);

        var structure = capture.Latest(RunStructure.MaxCap)!;
        Assert.Equal([10.0, 10.0, 10.0], structure.Center);
        Assert.Null(structure.ShellRadius);
        Assert.Equal(0, structure.ClusterSize);
        Assert.Equal(n, structure.RowsInShell);
        Assert.True(structure.Truncated);
        Assert.Equal(RunStructure.MaxCap, structure.X.Count);
        Assert.Null(structure.Element); // the frame names no types

        // Exactly the nearest: no row left out is nearer than a row kept.
        var all = Enumerable.Range(0, n).Select(i => new Vector3d(frame.X[i] - 10.0, frame.Y[i] - 10.0, frame.Z[i] - 10.0).Length).Order().ToArray();
        var kept = Enumerable.Range(0, structure.X.Count).Select(i => Math.Sqrt(Square(structure.X[i]) + Square(structure.Y[i]) + Square(structure.Z[i]))).ToArray();
        Assert.Equal(all[RunStructure.MaxCap - 1], kept.Max(), 2e-3);
        Assert.All(Enumerable.Range(1, kept.Length - 1), i => Assert.True(kept[i] >= kept[i - 1] - 2e-3, $"row {i} is nearer than row {i - 1}")); // nearest first
    }

    [Fact]
    public void Nothing_is_shown_before_the_first_frame_and_a_cap_out_of_range_is_refused()
    {
        var capture = new StructureCapture("test", Classes, ["crystal"], NeighborCutoff);
        Assert.Null(capture.Latest(RunStructure.DefaultCap));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => capture.Latest(RunStructure.MaxCap + 1));
        Assert.Contains("max_atoms must be 1 to 20000", e.Message);
    }

    [Fact]
    public void The_selection_keeps_the_smallest_keys()
    {
        var random = new Random(11);
        foreach (int n in new[] { 2, 10, 1000, 5000 })
        {
            var keys = Enumerable.Range(0, n).Select(_ => (ulong)random.Next(0, n / 2 + 1)).ToArray(); // with repeats
            foreach (int k in new[] { 1, n / 3 + 1, n - 1 })
            {
                var copy = keys.ToArray();
                StructureCapture.SelectSmallest(copy, k);
                Assert.Equal(keys.Order().Take(k), copy.Take(k).Order());
            }
        }
    }

    /// <summary>The scene captured once, its clusters found as the summariser finds them.</summary>
    private static StructureCapture Capture()
    {
        var atoms = CubeOffsets().Select(o => (X: Wrap(o.X), Y: 10.0 + o.Y, Z: 10.0 + o.Z, Label: Crystal)).ToList();
        atoms.AddRange(Others.Select(o => (o.X, o.Y, o.Z, o.Label)));
        int n = atoms.Count;
        using var frame = new Frame(n) { Box = Box, Index = 5, Step = 500, TypeNames = ["Ar", "Kr"] };
        for (int i = 0; i < n; i++)
        {
            (frame.X[i], frame.Y[i], frame.Z[i]) = ((float)atoms[i].X, (float)atoms[i].Y, (float)atoms[i].Z);
            frame.Types[i] = atoms[i].Label == Crystal ? 1 : 2;
        }
        var labels = atoms.Select(a => a.Label).ToArray();
        var member = labels.Select(l => l == Crystal).ToArray();
        var bonds = new NeighborQuery(Box, frame.X, frame.Y, frame.Z, BondCutoff).WithinCutoff(BondCutoff);
        var clusters = new ClusterAnalysis().Compute(bonds, member, Box, frame.X, frame.Y, frame.Z);
        Assert.Equal(27, clusters.LargestSize);

        var capture = new StructureCapture("test", Classes, ["crystal"], NeighborCutoff);
        capture.Capture("cube", frame, frame.X, frame.Y, frame.Z, Enumerable.Range(0, n).ToArray(), labels, clusters);
        return capture;
    }

    private static IEnumerable<(double X, double Y, double Z)> CubeOffsets() =>
        from x in new[] { -1, 0, 1 }
        from y in new[] { -1, 0, 1 }
        from z in new[] { -1, 0, 1 }
        select ((double)x, (double)y, (double)z);

    private static IEnumerable<string> Offsets(RunStructure s) =>
        Enumerable.Range(0, s.X.Count).Select(i => Offset(s.X[i], s.Y[i], s.Z[i]));

    private static string Offset(double x, double y, double z) =>
        FormattableString.Invariant($"({Round(x):0.0}, {Round(y):0.0}, {Round(z):0.0})");

    private static IEnumerable<string> Sorted(IEnumerable<(double X, double Y, double Z)> offsets) =>
        offsets.Select(o => Offset(o.X, o.Y, o.Z)).Order(StringComparer.Ordinal);

    private static double Round(double v)
    {
        double r = Math.Round(v, 1);
        return r == 0 ? 0 : r; // no "-0.0"
    }

    private static double Wrap(double x) => x < 0 ? x + 20 : x;

    private static double Square(double v) => v * v;
}
