using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Core;
using static StreamMonitor.Analysis.Tests.MolecularTestData;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// Molecular symmetry functions checked three ways: against the reference program's own output (Data/, made by
/// Data/make-molsf-reference.sh), against a plain direct implementation of the published formulas written here (every
/// periodic image by brute force), and by the symmetry of a perfect crystal.
/// </summary>
public sealed class MolecularSymmetryFunctionTests
{
    // The parameter sets, copied by hand from INPUT_urea.dat and INPUT_nico_crystal.dat for the direct implementation,
    // so that it shares nothing with the parser. Per block: kind, vector (0 = point), then Rs/eta or kappa.
    private static readonly (double RMin, double RMax, (char Kind, int Vector, double[] A, double[]? B)[] Blocks) UreaSet =
        (9.8, 10.0,
        [
            ('G', 0, [6.16, 6.28, 6.76, 6.88], [2.44, 2.68, 1.0, 1.0]),
            ('G', 1, [0.36, 0.08, 0.36, 0.28], [1.0, 1.0, 1.12, 6.76]),
            ('G', 2, [-0.64, -0.36, 0.88, 1.0], [3.28, 3.28, 3.28, 3.28]),
            ('C', 0, [2.5, 4.54, 4.9, 6.22], null),
            ('C', 1, [2.5, 3.58, 4.78, 8.26], null),
            ('C', 2, [2.50, 8.12, 8.24, 8.36], null),
        ]);

    private static readonly (double RMin, double RMax, (char Kind, int Vector, double[] A, double[]? B)[] Blocks) NicotinamideSet =
        (6.8, 7.0,
        [
            ('G', 0, [3.75, 4.86, 4.9, 5.9], [1.26, 2.11, 0.1, 0.016]),
            ('G', 1, [0.01, 2.71, 2.9, 1.69], [0.66, 1.11, 0.9, 4.0]),
            ('G', 2, [0.56, 2.26, 1.18, 1.15], [3.0, 1.11, 17.2, 2.2]),
            ('C', 0, [1.06, 0.51, 1.03, 2.41], null),
            ('C', 1, [0.13, 7.91, 5.05, 3.2], null),
            ('C', 2, [1.05, 2.21, 2.36, 13.22], null),
        ]);

    /// <summary>Urea roles by sym_type: center C (1), v1 = C → O (1 → 2), v2 = N1 → N2 (3 → 4).</summary>
    private static readonly (string Column, double Center, (double From, double To)[] Vectors) UreaRoles = ("sym_type", 1, [(1, 2), (3, 4)]);

    /// <summary>Nicotinamide roles by element (a label column): center C6 (10), v1 = C6 → C3 (10 → 9), v2 = O → N (3 → 6).</summary>
    private static readonly (string Column, double Center, (double From, double To)[] Vectors) NicotinamideRoles = ("element", 10, [(10, 9), (3, 6)]);

    /// <summary>
    /// The features of the molecules with the given ids, straight from the formulas: molecules from the mol column, roles
    /// by lowest atom id, vectors between the nearest images found by trying every lattice shift, and every image of
    /// every center within r_max found by trying every lattice shift in range.
    /// </summary>
    private static double[][] Direct(Frame frame, (string Column, double Center, (double From, double To)[] Vectors) roles,
        (double RMin, double RMax, (char Kind, int Vector, double[] A, double[]? B)[] Blocks) set, IReadOnlyList<int> moleculeIds)
    {
        var column = frame.Column(roles.Column)!;
        double Value(int a) => column.Labels is { } labels ? double.Parse(labels[(int)column.Values[a]], System.Globalization.CultureInfo.InvariantCulture) : column.Values[a];
        var box = frame.Box;
        Vector3d P(int a) => new(frame.X[a], frame.Y[a], frame.Z[a]);
        Vector3d Nearest(Vector3d d)
        {
            var best = d;
            for (int a = -2; a <= 2; a++)
                for (int b = -2; b <= 2; b++)
                    for (int c = -2; c <= 2; c++)
                    {
                        var e = d + a * box.A + b * box.B + c * box.C;
                        if (e.Length < best.Length) best = e;
                    }
            return best;
        }
        var molecules = Enumerable.Range(0, frame.AtomCount).GroupBy(a => frame.Molecules[a]).OrderBy(g => g.Key)
            .Select(g =>
            {
                var atoms = g.OrderBy(a => frame.Ids[a]).ToList();
                int First(double value) => atoms.First(a => Value(a) == value);
                int center = First(roles.Center);
                var vectors = roles.Vectors.Select(v => Nearest(P(First(v.To)) - P(center)) - Nearest(P(First(v.From)) - P(center))).ToArray();
                return (Id: g.Key, Center: P(center), Vectors: vectors);
            }).ToList();

        double volume = Math.Abs(box.Volume);
        int Reach(Vector3d u, Vector3d v) => (int)Math.Ceiling(set.RMax / (volume / u.Cross(v).Length)) + 1;
        int ra = Reach(box.B, box.C), rb = Reach(box.C, box.A), rc = Reach(box.A, box.B);
        var result = new double[moleculeIds.Count][];
        for (int k = 0; k < moleculeIds.Count; k++)
        {
            var me = molecules.Single(m => m.Id == moleculeIds[k]);
            var features = new List<double>();
            foreach (var (kind, vector, pa, pb) in set.Blocks)
                for (int p = 0; p < pa.Length; p++)
                {
                    double sum = 0;
                    foreach (var other in molecules)
                        for (int a = -ra; a <= ra; a++)
                            for (int b = -rb; b <= rb; b++)
                                for (int c = -rc; c <= rc; c++)
                                {
                                    if (other.Id == me.Id && a == 0 && b == 0 && c == 0) continue;
                                    double r = (other.Center + a * box.A + b * box.B + c * box.C - me.Center).Length;
                                    if (r >= set.RMax) continue;
                                    double fc = r <= set.RMin ? 1 : 0.5 * (Math.Cos(Math.PI * (r - set.RMin) / (set.RMax - set.RMin)) + 1);
                                    double x = r;
                                    if (vector > 0)
                                    {
                                        var u = me.Vectors[vector - 1];
                                        var v = other.Vectors[vector - 1];
                                        x = u.Dot(v) / (u.Length * v.Length);
                                    }
                                    sum += fc * (kind == 'G' ? Math.Exp(-pb![p] * (x - pa[p]) * (x - pa[p])) : Math.Cos(pa[p] * x));
                                }
                    features.Add(sum);
                }
            result[k] = [.. features];
        }
        return result;
    }

    private static void AssertRowsClose(double[] expected, ReadOnlySpan<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int f = 0; f < expected.Length; f++)
            Assert.True(Relative(actual[f], expected[f]) <= tolerance,
                $"{what}, sf{f + 1}: {actual[f]:R} vs {expected[f]:R} (relative {Relative(actual[f], expected[f]):E2})");
    }

    [Fact]
    public void FeaturesComeInThePublishedOrder()
    {
        foreach (var p in new[] { MolecularSymmetryFunctionParameters.Urea, MolecularSymmetryFunctionParameters.Nicotinamide })
        {
            var kinds = p.Functions.Select(f => (f.Kind, f.Vector)).ToArray();
            (SymmetryFunctionKind, int)[] blocks =
            [
                (SymmetryFunctionKind.RadialGaussian, -1), (SymmetryFunctionKind.OrientationGaussian, 0), (SymmetryFunctionKind.OrientationGaussian, 1),
                (SymmetryFunctionKind.RadialCosine, -1), (SymmetryFunctionKind.OrientationCosine, 0), (SymmetryFunctionKind.OrientationCosine, 1),
            ];
            Assert.Equal(blocks.SelectMany(b => Enumerable.Repeat(b, 4)), kinds);
        }
        Assert.Equal(24, new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea).FeatureCount);
    }

    [Fact]
    public void PresetsHoldTheParametersOfTheReferenceInputFiles()
    {
        var urea = MolecularSymmetryFunctionParameters.Load(UreaInput);
        Assert.Equal(MolecularSymmetryFunctionParameters.Urea.Functions, urea.Functions);
        Assert.Equal((9.8, 10.0), (urea.CutoffMin, urea.CutoffMax));
        Assert.Equal("sym_type", urea.Roles.Column);
        Assert.Equal("1", urea.Roles.Center);
        Assert.Equal([new RoleVector("1", "2"), new RoleVector("3", "4")], urea.Roles.Vectors);

        var nico = MolecularSymmetryFunctionParameters.Load(NicotinamideInput);
        var preset = MolecularSymmetryFunctionParameters.Nicotinamide;
        Assert.Equal(preset.Functions, nico.Functions);
        Assert.Equal((6.8, 7.0), (nico.CutoffMin, nico.CutoffMax));
        Assert.Equal(7, nico.SurfaceNeighbors);
        // The file names atoms by sym_type (center 2, v1 2 → 1, v2 3 → 4); the preset by the dump's element ids.
        Assert.Equal([new RoleVector("2", "1"), new RoleVector("3", "4")], nico.Roles.Vectors);
        Assert.Equal(("element", "10"), (preset.Roles.Column, preset.Roles.Center));
        Assert.Equal([new RoleVector("10", "9"), new RoleVector("3", "6")], preset.Roles.Vectors);
    }

    /// <summary>
    /// The first frame of the urea file is the ideal form I crystal (positions printed to 6 digits, hence the tolerance);
    /// its second frame is not (the reference program's own features of it spread by up to ~50% between molecules).
    /// </summary>
    [Fact]
    public void PerfectUreaCrystalGivesEveryMoleculeTheSameFeatures()
    {
        using var frame = ReadFirst(Urea);
        var result = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea).Compute(frame);
        Assert.Equal(432, result.Count);
        Assert.Equal(Enumerable.Range(1, 432), result.MoleculeIds.ToArray());
        var mean = new double[24];
        for (int m = 0; m < result.Count; m++)
            for (int f = 0; f < 24; f++)
                mean[f] += result[m, f] / result.Count;
        for (int m = 0; m < result.Count; m++)
        {
            AssertRowsClose(mean, result.Row(m), 1e-3, $"molecule {result.MoleculeIds[m]}");
            Assert.Equal(result.NeighborCounts[0], result.NeighborCounts[m]);
        }
    }

    /// <summary>
    /// Orthogonal box: the reference program is right here. It prints 6 significant digits and reads positions in
    /// double precision, while frames hold float32 positions (~2e-6 Å here); in the features that are sums of cosines
    /// with much cancellation (S2 with the smallest κ) that moves the value by up to ~3e-5 absolute, 1.3e-5 relative.
    /// (The reference run on the same positions rounded to float32 gives those values to its 6 digits.)
    /// </summary>
    [Fact]
    public void UreaAgreesWithTheReferenceProgram()
    {
        var reference = ReadReference("molsf-reference-urea-form-I.csv");
        Assert.Equal(864, reference.Count);
        var compute = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea);
        var frames = ReadAll(Urea);
        double worst = 0;
        int beyond = 0;
        try
        {
            foreach (var frame in frames)
            {
                var result = compute.Compute(frame);
                var rows = reference.Where(r => r.Frame == frame.Index).ToList();
                Assert.Equal(rows.Select(r => r.Mol), result.MoleculeIds.ToArray());
                for (int m = 0; m < rows.Count; m++)
                    for (int f = 0; f < 24; f++)
                    {
                        double d = Relative(result[m, f], rows[m].Features[f], floor: 1e-3);
                        if (d > 1e-5) beyond++;
                        worst = Math.Max(worst, d);
                    }
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
        Assert.True(worst < 2e-5 && beyond < 20, $"largest relative difference to the reference program {worst:E2}, {beyond} of 20736 values beyond 1e-5");
    }

    /// <summary>
    /// Triclinic nicotinamide: the reference program's tilted-cell minimum image is wrong (xy and yz swapped), so it is
    /// compared where that cannot matter — on the same crystal made whole and surrounded by its periodic images in a
    /// box large enough that the reference needs no image at all — and its direct triclinic output differs.
    /// </summary>
    [Fact]
    public void NicotinamideAgreesWithTheReferenceRunOnTheOrthogonalisedCrystal()
    {
        var correct = ReadReference("molsf-reference-nicotinamide-orthogonalised.csv");
        var defective = ReadReference("molsf-reference-nicotinamide-triclinic-defective.csv");
        using var frame = ReadFirst(Nicotinamide);
        var result = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Nicotinamide).Compute(frame);
        Assert.Equal(80, result.Count);
        Assert.Equal(correct.Select(r => r.Mol), result.MoleculeIds.ToArray());
        double worst = 0, worstDefective = 0;
        int differing = 0;
        for (int m = 0; m < 80; m++)
        {
            double rowDefective = 0;
            for (int f = 0; f < 24; f++)
            {
                worst = Math.Max(worst, Relative(result[m, f], correct[m].Features[f], floor: 1e-3));
                rowDefective = Math.Max(rowDefective, Relative(result[m, f], defective[m].Features[f], floor: 1e-3));
            }
            worstDefective = Math.Max(worstDefective, rowDefective);
            if (rowDefective > 1e-3) differing++;
        }
        Assert.True(worst < 1e-5, $"largest relative difference to the reference on the orthogonalised crystal {worst:E2}");
        // The defect: most molecules get other features in the reference's own triclinic mode.
        Assert.True(differing > 40 && worstDefective > 0.1, $"{differing} molecules differ, by up to {worstDefective:F3}");
    }

    public static TheoryData<string, int[]> DirectCases => new()
    {
        { "urea", [1, 2, 97, 216, 300, 432] },
        { "nicotinamide", [1, 13, 40, 57, 80] },
    };

    [Theory]
    [MemberData(nameof(DirectCases))]
    public void FastPathMatchesTheDirectImplementation(string system, int[] molecules)
    {
        bool urea = system == "urea";
        using var frame = ReadFirst(urea ? Urea : Nicotinamide);
        var result = new MolecularSymmetryFunctions(urea ? MolecularSymmetryFunctionParameters.Urea : MolecularSymmetryFunctionParameters.Nicotinamide)
            .Compute(frame);
        var expected = Direct(frame, urea ? UreaRoles : NicotinamideRoles, urea ? UreaSet : NicotinamideSet, molecules);
        for (int k = 0; k < molecules.Length; k++)
        {
            int row = result.MoleculeIds.IndexOf(molecules[k]);
            AssertRowsClose(expected[k], result.Row(row), 1e-9, $"{system} molecule {molecules[k]}");
        }
    }

    /// <summary>
    /// A cutoff wider than half the cell is refused by default, and with images allowed every image counts: the
    /// nicotinamide cell (narrowest width ~18 Å) with r_max = 12 Å, checked against the direct implementation.
    /// </summary>
    [Fact]
    public void EveryPeriodicImageCountsWhenAllowed()
    {
        using var frame = ReadFirst(Nicotinamide);
        var preset = MolecularSymmetryFunctionParameters.Nicotinamide;
        var wide = new MolecularSymmetryFunctionParameters("wide", preset.Roles, 11.5, 12.0, preset.Functions);
        var error = Assert.Throws<ArgumentException>(() => new MolecularSymmetryFunctions(wide).Compute(frame));
        Assert.Contains("larger than half the box", error.Message);

        var result = new MolecularSymmetryFunctions(wide, allowMultipleImages: true).Compute(frame);
        int[] molecules = [1, 42];
        var expected = Direct(frame, NicotinamideRoles, (11.5, 12.0, NicotinamideSet.Blocks), molecules);
        for (int k = 0; k < molecules.Length; k++)
            AssertRowsClose(expected[k], result.Row(result.MoleculeIds.IndexOf(molecules[k])), 1e-9, $"molecule {molecules[k]}");
        // Molecule 1 meets some neighbours in two images at once.
        var centers = OrientedMolecules.FromFrame(frame, preset.Roles);
        var me = new Vector3d(centers.CenterX[0], centers.CenterY[0], centers.CenterZ[0]);
        var box = frame.Box;
        var seen = new List<int>();
        for (int j = 0; j < centers.Count; j++)
            for (int a = -2; a <= 2; a++)
                for (int b = -2; b <= 2; b++)
                    for (int c = -2; c <= 2; c++)
                    {
                        var d = new Vector3d(centers.CenterX[j], centers.CenterY[j], centers.CenterZ[j]) + a * box.A + b * box.B + c * box.C - me;
                        if ((j != 0 || a != 0 || b != 0 || c != 0) && d.Length < 12.0) seen.Add(j);
                    }
        Assert.Equal(seen.Count, result.NeighborCounts[0]);
        Assert.True(seen.Distinct().Count() < seen.Count, "some molecule is a neighbour in more than one image");
    }

    [Fact]
    public void VectorAndScalarKernelsAgree()
    {
        using var frame = ReadFirst(Nicotinamide);
        var preset = MolecularSymmetryFunctionParameters.Nicotinamide;
        var vectors = new MolecularSymmetryFunctions(preset, false, useVectors: true).Compute(frame);
        var scalar = new MolecularSymmetryFunctions(preset, false, useVectors: false).Compute(frame);
        Assert.Equal(scalar.NeighborCounts.ToArray(), vectors.NeighborCounts.ToArray());
        for (int m = 0; m < scalar.Count; m++)
            AssertRowsClose(scalar.Row(m).ToArray(), vectors.Row(m), 1e-12, $"molecule {scalar.MoleculeIds[m]}");
    }

    [Fact]
    public void ParsedParameterFilesGiveTheSameFeaturesAsThePreset()
    {
        using var frame = ReadFirst(Urea);
        var fromFile = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Load(UreaInput)).Compute(frame);
        var fromPreset = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea).Compute(frame);
        Assert.Equal(fromPreset.Features.ToArray(), fromFile.Features.ToArray());
    }

    [Theory]
    [InlineData("cutoffmin 1\ncutoffmax 2\nnumber_of_para 1\npoint true\nG2G3 G2\nRs 1\neta 1\n", "no 'center atom' line")]
    [InlineData("center atom 1\ncutoffmin 1\ncutoffmax 2\nnumber_of_para 2\npoint true\nG2G3 G2\nRs 1\neta 1 2\n", "line 7: 'Rs' needs 2 values")]
    [InlineData("center atom 1\ncutoffmin 1\ncutoffmax 2\nnumber_of_para 1\npoint false\nG2G3 G2\n", "line 6: expected 'vec_id' here, got 'G2G3'")]
    [InlineData("center atom 1\ncutoffmin 1\ncutoffmax 2\nnumber_of_para 1\npoint true\nG2G3 G4\n", "line 6: 'G2G3' is G2 or G3")]
    [InlineData("center atom 1\ncutoffmin 3\ncutoffmax 2\nnumber_of_para 1\npoint true\nG2G3 G3\nkappa 1\n", "cutoffmin < cutoffmax")]
    [InlineData("center atom 1\ncutofmax 2\n", "line 2: unknown key 'cutofmax'")]
    [InlineData("num_sf 3\ncenter atom 1\ncutoffmin 1\ncutoffmax 2\nnumber_of_para 1\npoint true\nG2G3 G3\nkappa x\n", "line 8: 'x' is not a number")]
    [InlineData("num_sf 3\ncenter atom 1\ncutoffmin 1\ncutoffmax 2\nnumber_of_para 1\npoint true\nG2G3 G3\nkappa 1\n", "num_sf says 3 functions, the blocks define 1")]
    public void BadParameterFilesAreRefusedNamingTheLine(string text, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => MolecularSymmetryFunctionParameters.Parse(text, "p.dat"));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void UnknownPresetNamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => MolecularSymmetryFunctionParameters.Preset("water"));
        Assert.Contains("urea, nicotinamide", error.Message);
    }
}
