using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;
using static StreamMonitor.Analysis.Tests.MolecularTestData;

namespace StreamMonitor.Analysis.Tests;

/// <summary>Molecules of a frame: grouping, whole across the boundary, point and vectors by atom roles, clear errors.</summary>
public sealed class MoleculeTests
{
    private static readonly MolecularSymmetryFunctionParameters Urea_ = MolecularSymmetryFunctionParameters.Urea;
    private static readonly MolecularSymmetryFunctionParameters Nicotinamide_ = MolecularSymmetryFunctionParameters.Nicotinamide;

    [Fact]
    public void MoleculesComeFromTheMolColumnInIdOrder()
    {
        using var frame = ReadFirst(Urea); // atoms are not in id order in this file
        var topology = MoleculeTopology.FromFrame(frame);
        Assert.Equal(Enumerable.Range(1, 432), topology.Ids.ToArray());
        for (int m = 0; m < topology.Count; m++)
        {
            var atoms = topology.AtomsOf(m).ToArray();
            Assert.Equal(8, atoms.Length);
            Assert.All(atoms, a => Assert.Equal(topology.Ids[m], frame.Molecules[a]));
            Assert.Equal(atoms.Select(a => frame.Ids[a]).Order(), atoms.Select(a => frame.Ids[a]));
        }
    }

    [Fact]
    public void MoleculesAreMadeWholeAcrossTheBoundary()
    {
        using var frame = ReadFirst(Urea);
        var topology = MoleculeTopology.FromFrame(frame);
        var (x, y, z) = (new double[frame.AtomCount], new double[frame.AtomCount], new double[frame.AtomCount]);
        topology.MakeWhole(frame.Box, frame.X, frame.Y, frame.Z, x, y, z);
        var cell = new PeriodicCell(frame.Box);
        int split = 0;
        for (int m = 0; m < topology.Count; m++)
        {
            var atoms = topology.AtomsOf(m).ToArray();
            double Extent(Func<int, Vector3d> p) => atoms.Max(a => atoms.Max(b => (p(a) - p(b)).Length));
            if (Extent(a => new Vector3d(frame.X[a], frame.Y[a], frame.Z[a])) > 10) split++;
            Assert.True(Extent(a => new Vector3d(x[a], y[a], z[a])) < 4.5, $"molecule {topology.Ids[m]} is not whole");
            foreach (int a in atoms)
            {
                // Whole positions differ from the file's by whole lattice vectors only.
                var s = cell.ToFractional(new Vector3d(x[a], y[a], z[a]) - new Vector3d(frame.X[a], frame.Y[a], frame.Z[a]) + frame.Box.Origin);
                Assert.True(Math.Abs(s.X - Math.Round(s.X)) + Math.Abs(s.Y - Math.Round(s.Y)) + Math.Abs(s.Z - Math.Round(s.Z)) < 1e-5);
            }
        }
        Assert.True(split > 20, $"only {split} molecules cross the boundary in the file");
    }

    [Fact]
    public void VectorsJoinTheRoleAtomsOfWholeMolecules()
    {
        using var urea = ReadFirst(Urea);
        var u = OrientedMolecules.FromFrame(urea, Urea_.Roles);
        Assert.Equal(432, u.Count);
        for (int m = 0; m < u.Count; m++)
        {
            Assert.InRange(u.Vector(m, 0).Length, 1.2, 1.3);   // C=O
            Assert.InRange(u.Vector(m, 1).Length, 2.2, 2.35);  // N1…N2
            Assert.InRange(u.Radius[m], 1.9, 2.2);             // C…H
        }
        using var nico = ReadFirst(Nicotinamide);
        var n = OrientedMolecules.FromFrame(nico, Nicotinamide_.Roles);
        Assert.Equal(80, n.Count);
        for (int m = 0; m < n.Count; m++)
        {
            Assert.InRange(n.Vector(m, 0).Length, 2.6, 3.0);   // C6…C3 across the ring
            Assert.InRange(n.Vector(m, 1).Length, 2.1, 2.4);   // O…N of the amide
            Assert.Equal(10, int.Parse(nico.Column("element")!.Labels![(int)nico.Column("element")!.Values[n.CenterAtoms[m]]]));
        }
    }

    /// <summary>Atoms moved by lattice vectors (as a writer that wraps atoms one by one does) change nothing.</summary>
    [Fact]
    public void WrappingAtomsIntoOtherImagesChangesNothing()
    {
        using var frame = ReadFirst(Nicotinamide);
        var random = new Random(7);
        var shifts = Enumerable.Range(0, frame.AtomCount).Select(_ => (random.Next(-2, 3), random.Next(-2, 3), random.Next(-2, 3))).ToArray();
        var box = frame.Box;
        using var moved = Copy(frame, move: a => shifts[a].Item1 * box.A + shifts[a].Item2 * box.B + shifts[a].Item3 * box.C);
        var compute = new MolecularSymmetryFunctions(Nicotinamide_);
        var before = OrientedMolecules.FromFrame(frame, Nicotinamide_.Roles);
        var after = OrientedMolecules.FromFrame(moved, Nicotinamide_.Roles);
        for (int m = 0; m < before.Count; m++)
            for (int v = 0; v < 2; v++)
                Assert.True((before.Vector(m, v) - after.Vector(m, v)).Length < 1e-4);
        var f0 = compute.Compute(frame);
        var f1 = compute.Compute(moved);
        for (int k = 0; k < f0.Features.Length; k++)
            Assert.True(Relative(f1.Features[k], f0.Features[k]) < 1e-4, $"feature {k}: {f1.Features[k]} vs {f0.Features[k]}");
    }

    [Theory]
    [InlineData("urea")]
    [InlineData("nicotinamide")]
    public void BondsFindTheMoleculesOfTheMolColumn(string system)
    {
        using var frame = ReadFirst(system == "urea" ? Urea : Nicotinamide);
        using var anonymous = Copy(frame, molecules: false);
        Assert.False(anonymous.HasMolecules);
        var byBonds = MoleculeTopology.FromFrame(anonymous, new BondCutoffs(1.7));
        var byColumn = MoleculeTopology.FromFrame(frame);
        static HashSet<string> Partition(MoleculeTopology t, Frame f) =>
            Enumerable.Range(0, t.Count).Select(m => string.Join(",", t.AtomsOf(m).ToArray().Select(a => f.Ids[a]))).ToHashSet();
        Assert.Equal(byColumn.Count, byBonds.Count);
        Assert.True(Partition(byColumn, frame).SetEquals(Partition(byBonds, anonymous)));
        // A cutoff that reaches the hydrogen bonds merges molecules; a short one for the pairs with H keeps them apart.
        Assert.True(MoleculeTopology.FromFrame(anonymous, new BondCutoffs(2.6)).Count < byColumn.Count);
        string[] hydrogens = system == "urea" ? ["1"] : ["1", "2", "8"];
        var element = frame.Column("element")!;
        var types = Enumerable.Range(0, frame.AtomCount).Select(a => frame.Types[a]).Distinct().ToArray();
        var hydrogenTypes = Enumerable.Range(0, frame.AtomCount)
            .Where(a => hydrogens.Contains(element.Labels![(int)element.Values[a]])).Select(a => frame.Types[a]).Distinct().ToArray();
        var cutoffs = new BondCutoffs(2.6);
        foreach (int h in hydrogenTypes)
            foreach (int t in types)
                cutoffs = cutoffs.WithPair(h, t, 1.2);
        Assert.Equal(1.2, cutoffs.For(types[0], hydrogenTypes[0]));
        Assert.Equal(2.6, cutoffs.Max);
        var split = MoleculeTopology.FromFrame(anonymous, cutoffs);
        Assert.True(Partition(byColumn, frame).SetEquals(Partition(split, anonymous)));
    }

    [Fact]
    public void ParametersWithABondCutoffWorkWithoutMolColumn()
    {
        using var frame = ReadFirst(Urea);
        using var anonymous = Copy(frame, molecules: false);
        var text = File.ReadAllText(UreaInput) + "\nbond_cutoff      1.7\n";
        var compute = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Parse(text, "urea+bonds"));
        var withColumn = new MolecularSymmetryFunctions(Urea_).Compute(frame);
        var withBonds = compute.Compute(anonymous);
        Assert.Equal(withColumn.Features.ToArray(), withBonds.Features.ToArray());
    }

    [Fact]
    public void MissingRolesAndMoleculeIdsAreNamed()
    {
        using var urea = ReadFirst(Urea);
        using var nico = ReadFirst(Nicotinamide);
        var e = Assert.Throws<ArgumentException>(() => new MolecularSymmetryFunctions(Nicotinamide_).Compute(urea));
        Assert.Contains("preset 'nicotinamide': no atom of the frame has element = 10 (the center atom, start of v1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MolecularSymmetryFunctions(Urea_).Compute(nico));
        // Without sym_type, the nicotinamide dump's element ids 1-10 read as atomic numbers; no molecule is then urea.
        Assert.Contains("but preset 'urea' needs C 1, O 1, N 2, H 4 (8 atoms) (atoms read by atomic numbers in the 'element' column)", e.Message);
        using var anonymous = Copy(urea, molecules: false);
        e = Assert.Throws<ArgumentException>(() => new MolecularSymmetryFunctions(Urea_).Compute(anonymous));
        Assert.Contains("the frame has no molecule ids (no 'mol' column", e.Message);
    }

    [Fact]
    public void NicotinamideRolesFromElementsByAtomOrderAreTheForceFieldRoles()
    {
        // The reference dump's element column holds force-field ids (9 = C3, 10 = C6, 6 = amide N); mapped to plain
        // elements, the preset picks C3, C6 and the amide N by atom order and must land on the same atoms.
        using var nico = ReadFirst(Nicotinamide);
        var mapping = AtomRoleMapping.Parse("C=4,C=5,C=9,C=10,N=6,N=7,O=3,H=1,H=2,H=8", "element");
        var expected = new MolecularSymmetryFunctions(Nicotinamide_).Compute(nico);
        var mapped = new MolecularSymmetryFunctions(Nicotinamide_.WithRoles(Nicotinamide_.Roles.WithMapping(mapping))).Compute(nico);
        Assert.Equal(80, mapped.Count);
        Assert.Equal(expected.CenterAtoms.ToArray(), mapped.CenterAtoms.ToArray());
        Assert.Equal(expected.Features.ToArray(), mapped.Features.ToArray());
    }

    [Fact]
    public void MoleculesMissingAnAtomOrWithTwoCentersAreNamed()
    {
        using var frame = ReadFirst(Urea);
        var symType = frame.Column("sym_type")!.Values.ToArray();
        int oxygen7 = Enumerable.Range(0, frame.AtomCount).Single(a => frame.Molecules[a] == 7 && symType[a] == 2);
        using var noOxygen = Copy(frame, atoms: Enumerable.Range(0, frame.AtomCount).Where(a => a != oxygen7).ToArray());
        var e = Assert.Throws<ArgumentException>(() => OrientedMolecules.FromFrame(noOxygen, Urea_.Roles));
        Assert.Contains("molecule 7 has no atom with sym_type = 2 (the end of v1, preset 'urea')", e.Message);

        using var twoCenters = Copy(frame);
        int hydrogen3 = Enumerable.Range(0, frame.AtomCount).First(a => frame.Molecules[a] == 3 && symType[a] == 0);
        twoCenters.Column("sym_type")!.Values[hydrogen3] = 1;
        e = Assert.Throws<ArgumentException>(() => OrientedMolecules.FromFrame(twoCenters, Urea_.Roles));
        Assert.Contains("molecule 3 has more than one atom with sym_type = 1", e.Message);
    }

    [Fact]
    public void MoleculesWithoutACenterAreAnotherSpeciesAndLeftOut()
    {
        using var source = ReadFirst(Urea);
        using var frame = Copy(source);
        var symType = frame.Column("sym_type")!.Values;
        for (int a = 0; a < frame.AtomCount; a++)
            if (frame.Molecules[a] == 5) symType[a] = 0;
        var molecules = OrientedMolecules.FromFrame(frame, Urea_.Roles);
        Assert.Equal(431, molecules.Count);
        Assert.DoesNotContain(5, molecules.Ids.ToArray());
    }
}
