using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Gpu;
using StreamMonitor.Classification.Models;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>
/// <see cref="IlgpuAtomicFeaturizer"/> against <see cref="AtomicFeaturizer"/> in double precision on ILGPU's CPU
/// accelerator, on Lennard-Jones frames made by LAMMPS (the shipped quench, and an fcc crystal in a tilted cell) and on
/// small frames built for the edge cases. The kernels and the CPU code share their arithmetic (wrapping, pair distances,
/// the Legendre recurrence, the Wigner terms, q_l and ŵ_l), both in double precision from the same single-precision
/// displacements, so on the CPU accelerator the neighbour lists are identical and the features differ only in the order
/// the bonds of a sum are added (the CPU adds several at once in SIMD lanes): a few units in the last place of values of
/// order 1. The tolerance, 1e-10, is far above that and far below anything a model could tell apart. The CPU featurizer
/// the pipeline runs sums in single precision; it is held to the double-precision features within
/// <see cref="SingleTolerance"/>.
/// </summary>
[Trait("Category", "Slow")] // LAMMPS makes the frames
public sealed class IlgpuAtomicFeaturizerTests(IlgpuTests.CpuDevice cpu, IlgpuAtomicFeaturizerTests.LjFrames lj)
    : IClassFixture<IlgpuTests.CpuDevice>, IClassFixture<IlgpuAtomicFeaturizerTests.LjFrames>
{
    private const double Tolerance = 1e-10;

    /// <summary>
    /// Single against double precision sums: single precision carries about 7 digits, and the features are of order 1
    /// (the coordination, a whole number, is exact either way).
    /// </summary>
    private const double SingleTolerance = 1e-5;

    /// <summary>
    /// How close to the decision threshold a CPU network output must be for a 1e-10 feature difference to possibly move it
    /// across: the network's gradients are of order 1–100, so 1e-6 leaves a wide margin. Atoms that close may get
    /// another class from the device features; every other atom must get the same one.
    /// </summary>
    private const double ThresholdMargin = 1e-6;

    /// <summary>The frames of one LAMMPS quench (a seed slab in its melt, crystallising) and of a tilted fcc crystal.</summary>
    public sealed class LjFrames : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public LjFrames()
        {
            // 864 atoms; frames at 0, 400 and 800 steps of the quench: liquid, interface and growing crystal.
            Quench = ReadAll(Lammps.RunQuench(_directory.Path, "quench.lammpstrj", cells: 6, runSteps: 800, dumpEvery: 400));
            // fcc in a cell tilted by whole lattice constants (xy = 1, yz = 1), so the lattice stays perfect across the
            // boundaries, then 200 steps at T = 0.8 to move every atom off its site.
            Lammps.RunInput(_directory.Path, Lammps.LjSystem("prism 0 5 0 5 0 5 1 0 1", density: 1.0, temperature: 0.8) + """
                run 200
                dump d all custom 1 tilted.lammpstrj id type x y z
                dump_modify d sort id
                run 0
                """);
            Tilted = ReadAll(Path.Combine(_directory.Path, "tilted.lammpstrj")).Single();
        }

        public IReadOnlyList<Frame> Quench { get; }

        public Frame Tilted { get; }

        private static List<Frame> ReadAll(string path)
        {
            using var reader = TrajectoryReader.Open(path);
            return reader.ReadAll().ToList();
        }

        public void Dispose()
        {
            foreach (var f in Quench) f.Dispose();
            Tilted.Dispose();
            _directory.Dispose();
        }
    }

    private static AtomicFeatureSpec Lj => AtomicFeatureSpec.LennardJones;

    /// <summary>The CPU featurizer with double-precision sums, the kernels' reference.</summary>
    private static AtomicFeaturizer Double(AtomicFeatureSpec spec) => new(spec, singlePrecision: false);

    [Fact]
    public void TheSinglePrecisionFeaturesAreTheDoublePrecisionOnesToSevenDigits()
    {
        foreach (var (frame, what) in lj.Quench.Select(f => (f, $"quench frame {f.Index}")).Append((lj.Tilted, "tilted fcc")))
        {
            var reference = Double(Lj).Compute(frame);
            var single = Lj.CreateFeaturizer().Compute(frame);
            Assert.Equal(reference.Defined, single.Defined);
            Assert.Equal(reference.Values.Length, single.Values.Length);
            double largest = 0;
            for (int k = 0; k < reference.Values.Length; k++)
            {
                double difference = Math.Abs(single.Values[k] - reference.Values[k]);
                Assert.True(difference <= SingleTolerance,
                    $"{what}: atom {k / Lj.Width} feature {Lj.Names[k % Lj.Width]}: {single.Values[k]:R} in single, {reference.Values[k]:R} in double precision");
                largest = Math.Max(largest, difference);
            }
            // Single precision is in use: the sums do not come out to the last bit of the double ones.
            Assert.True(largest > 0, $"{what}: the single-precision features equal the double ones exactly");
        }
    }

    [Fact]
    public void QuenchFramesHaveTheCpuFeaturesAndNeighbourLists()
    {
        using var gpu = new IlgpuAtomicFeaturizer(Lj, cpu.Device.Accelerator);
        Assert.Equal(3, lj.Quench.Count);
        foreach (var frame in lj.Quench)
            AssertSameRows(Double(Lj).Compute(frame), gpu.Compute(frame), $"quench frame {frame.Index}");
    }

    [Fact]
    public void ATiltedCellHasTheCpuFeatures()
    {
        Assert.False(lj.Tilted.Box.IsOrthogonal);
        using var gpu = new IlgpuAtomicFeaturizer(Lj, cpu.Device.Accelerator);
        AssertSameRows(Double(Lj).Compute(lj.Tilted), gpu.Compute(lj.Tilted), "tilted fcc");
    }

    /// <summary>
    /// A cutoff beyond half of a small tilted cell: atoms meet several images of one another and themselves, and have
    /// about 60 neighbours, more than a device list holds at first, so the search grows its lists and runs again.
    /// Without averaging and with ŵ of one degree only, as a spec may ask.
    /// </summary>
    [Fact]
    public void SeveralImagesAndLongListsInASmallTiltedCell()
    {
        var spec = new AtomicFeatureSpec([4, 6], [6], cutoff: 2.5, average: false);
        var box = new SimulationBox(new Vector3d(3.2, 0, 0), new Vector3d(0.9, 3.0, 0), new Vector3d(-0.6, 0.7, 3.4), new Vector3d(-1, 2, 0.5));
        using var frame = RandomFrame(40, box, seed: 11);
        using var gpu = new IlgpuAtomicFeaturizer(spec, cpu.Device.Accelerator);
        Assert.Equal(IlgpuNeighborSearchCapacity, gpu.NeighborCapacity);
        var expected = Double(spec).Compute(frame);
        Assert.True(expected.Neighbors!.CountOf(0) > IlgpuNeighborSearchCapacity);
        AssertSameRows(expected, gpu.Compute(frame), "small tilted cell");
        Assert.True(gpu.NeighborCapacity > IlgpuNeighborSearchCapacity);
        AssertSameRows(expected, gpu.Compute(frame), "small tilted cell, again with the grown lists");
    }

    /// <summary>
    /// A 13-atom cluster, a pair and a lone atom in a large box: atoms with few neighbours, and one with none, which is
    /// undefined on both sides (zero features, coordination 0) and left out of its neighbours' averages.
    /// </summary>
    [Fact]
    public void AtomsWithFewOrNoNeighboursAreTreatedAsOnTheCpu()
    {
        var random = new Random(5);
        var positions = new List<Vector3d> { new(10, 10, 10) };
        for (int k = 0; k < 12; k++)
        {
            var u = new Vector3d(random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5);
            positions.Add(new Vector3d(10, 10, 10) + 1.1 / u.Length * u);
        }
        positions.AddRange([new(3, 3, 3), new(3, 3, 4.2), new(16, 4, 17)]);
        using var frame = FrameOf(positions, SimulationBox.Orthogonal(20, 20, 20));
        using var gpu = new IlgpuAtomicFeaturizer(Lj, cpu.Device.Accelerator);
        var expected = Double(Lj).Compute(frame);
        var actual = gpu.Compute(frame);
        AssertSameRows(expected, actual, "cluster, pair and lone atom");
        int lone = positions.Count - 1;
        Assert.False(actual.Defined[lone]);
        Assert.All(actual.Row(lone).ToArray(), v => Assert.Equal(0, v));
        Assert.True(actual.Defined[lone - 1]);
        Assert.Equal(1, actual.Row(lone - 1)[^1]); // coordination of the pair's atoms
    }

    [Fact]
    public void AnEmptyFrameGivesNoRowsAndAFrameWithoutACellIsRefused()
    {
        using var gpu = new IlgpuAtomicFeaturizer(Lj, cpu.Device.Accelerator);
        using var empty = new Frame(0) { Box = SimulationBox.Orthogonal(5, 5, 5) };
        var rows = gpu.Compute(empty);
        Assert.Equal(0, rows.Count);
        Assert.Equal(Lj.Width, rows.Width);
        Assert.Equal(0, rows.Neighbors!.Count);
        AssertSameRows(Double(Lj).Compute(empty), rows, "empty frame");

        using var open = FrameOf([new(0, 0, 0), new(1, 0, 0)], SimulationBox.None);
        var e = Assert.Throws<ArgumentException>(() => gpu.Compute(open));
        Assert.Contains("no periodic cell", e.Message);
        // The device arrays are untouched by the refusal.
        AssertSameRows(Double(Lj).Compute(lj.Tilted), gpu.Compute(lj.Tilted), "tilted fcc after a refusal");
    }

    /// <summary>
    /// The shipped LJ model classifies every atom the same from device features as from CPU features, but for atoms
    /// whose outputs lie within <see cref="ThresholdMargin"/> of the threshold.
    /// The network is the double-precision TorchSharp one on both sides, so only the features differ.
    /// </summary>
    [Fact]
    public void TheLjModelClassifiesDeviceFeaturesAsCpuFeatures()
    {
        using var model = ClassifierModel.Load("lj", MlpPrecision.Double);
        using var gpu = new IlgpuAtomicFeaturizer((AtomicFeatureSpec)model.File.Features, cpu.Device.Accelerator);
        int atoms = 0, crystalline = 0;
        foreach (var frame in lj.Quench.Append(lj.Tilted))
        {
            var expected = model.Predict(model.Featurizer.Compute(frame));
            var actual = model.Predict(gpu.Compute(frame));
            int borderline = 0, mismatches = 0;
            for (int r = 0; r < expected.Labels.Length; r++)
            {
                if (expected.Labels[r] == actual.Labels[r]) continue;
                mismatches++;
                if (NearThreshold(expected, r, model)) borderline++;
            }
            Assert.True(mismatches == borderline, $"frame {frame.Index}: {mismatches} atoms classified differently, {borderline} of them near the threshold");
            atoms += expected.Labels.Length;
            crystalline += expected.Labels.Count(l => l >= 0 && model.File.Classes[l] is "fcc" or "hcp" or "bcc");
        }
        Assert.True(crystalline > 0 && crystalline < atoms, $"{crystalline} of {atoms} atoms crystalline: the frames should mix phases");
    }

    /// <summary>The ILGPU engine of <see cref="ClassifierModel"/> computes atomic features on the device, as molecular ones.</summary>
    [Fact]
    public void TheIlgpuEngineUsesTheDeviceFeaturizerForAtomicModels()
    {
        using var torch = ClassifierModel.Load("lj", MlpPrecision.Double);
        using var ilgpu = ClassifierModel.Load("lj", engine: ClassifierEngine.Ilgpu);
        Assert.IsType<IlgpuAtomicFeaturizer>(ilgpu.Featurizer);
        var frame = lj.Quench[^1];
        var expected = torch.Classify(frame).Predictions;
        var (rows, actual) = ilgpu.Classify(frame);
        Assert.NotNull(rows.Neighbors);
        for (int r = 0; r < expected.Labels.Length; r++)
            Assert.True(expected.Labels[r] == actual.Labels[r] || NearThreshold(expected, r, torch),
                $"atom {r}: {actual.Labels[r]} with the ILGPU engine, {expected.Labels[r]} with TorchSharp on the CPU");
    }

    private static int IlgpuNeighborSearchCapacity => 32; // IlgpuNeighborSearch.InitialCapacity (internal)

    private static bool NearThreshold(ClassPredictions predictions, int row, ClassifierModel model)
    {
        int width = model.Classes.Count;
        for (int k = 0; k < width; k++)
            if (Math.Abs(predictions.Probabilities[row * width + k] - model.File.Threshold) <= ThresholdMargin) return true;
        return false;
    }

    private static void AssertSameRows(FeatureRows expected, FeatureRows actual, string what)
    {
        Assert.Equal(expected.Width, actual.Width);
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Atoms, actual.Atoms);
        Assert.Equal(expected.Defined, actual.Defined);
        AssertSameNeighbors(expected.Neighbors!.InParticleOrder(), actual.Neighbors!.InParticleOrder(), what);
        for (int k = 0; k < expected.Values.Length; k++)
        {
            double e = expected.Values[k], a = actual.Values[k];
            Assert.True(Math.Abs(a - e) <= Tolerance,
                $"{what}: atom {k / expected.Width} feature {k % expected.Width}: {a:R} on ILGPU, {e:R} on the CPU");
        }
    }

    /// <summary>
    /// Row for row: the same neighbours with the same single-precision displacements, the device's in order of distance.
    /// The featurizer's CPU list is unsorted (its sums need no order), so rows are compared as sets of entries.
    /// </summary>
    private static void AssertSameNeighbors(NeighborList expected, NeighborList actual, string what)
    {
        Assert.Equal(expected.Cutoff, actual.Cutoff);
        Assert.Equal(expected.RequestedNeighbors, actual.RequestedNeighbors);
        Assert.True(actual.SortedByDistance);
        Assert.True(expected.Offsets.SequenceEqual(actual.Offsets), $"{what}: neighbour counts differ");
        for (int i = 0; i < expected.Count; i++)
        {
            var distances = actual.Distances(i);
            for (int k = 1; k < distances.Length; k++)
                Assert.True(distances[k - 1] <= distances[k], $"{what}: atom {i}'s device row is not in order of distance");
            var (cpu, device) = (Canonical(expected, i).ToList(), Canonical(actual, i).ToList());
            Assert.True(cpu.Select(e => (e.Index, e.Dx, e.Dy, e.Dz)).SequenceEqual(device.Select(e => (e.Index, e.Dx, e.Dy, e.Dz))),
                $"{what}: atom {i}'s neighbours or displacements differ");
            // The CPU list (in cell order) works its distances out from the stored displacements: the last place may differ.
            for (int k = 0; k < cpu.Count; k++)
                Assert.True(Math.Abs(cpu[k].Distance - device[k].Distance) <= 2.5e-7f * device[k].Distance,
                    $"{what}: atom {i}'s distance {k}: {cpu[k].Distance:R} on the CPU, {device[k].Distance:R} on the device");
        }
    }

    private static IEnumerable<(int Index, float Dx, float Dy, float Dz, float Distance)> Canonical(NeighborList list, int i) =>
        Rows(list, i).OrderBy(e => e.Index).ThenBy(e => e.Dx).ThenBy(e => e.Dy).ThenBy(e => e.Dz);

    private static List<(int Index, float Dx, float Dy, float Dz, float Distance)> Rows(NeighborList list, int i)
    {
        var rows = new List<(int, float, float, float, float)>(list.CountOf(i));
        for (int k = 0; k < list.CountOf(i); k++)
            rows.Add((list.Neighbors(i)[k], list.Dx(i)[k], list.Dy(i)[k], list.Dz(i)[k], list.Distances(i)[k]));
        return rows;
    }

    private static Frame RandomFrame(int atoms, SimulationBox box, int seed)
    {
        var random = new Random(seed);
        return FrameOf(Enumerable.Range(0, atoms).Select(_ => box.ToCartesian(random.NextDouble(), random.NextDouble(), random.NextDouble())).ToList(), box);
    }

    private static Frame FrameOf(IReadOnlyList<Vector3d> positions, SimulationBox box)
    {
        var frame = new Frame(positions.Count) { Box = box };
        for (int i = 0; i < positions.Count; i++)
        {
            frame.Ids[i] = i + 1;
            frame.Types[i] = 1;
            (frame.X[i], frame.Y[i], frame.Z[i]) = ((float)positions[i].X, (float)positions[i].Y, (float)positions[i].Z);
        }
        return frame;
    }
}
