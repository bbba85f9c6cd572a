using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Core;
using static StreamMonitor.Analysis.Tests.MolecularTestData;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// Molecular neighbourhoods on the reference program's urea form I crystal (432 molecules): which atoms are nodes, in which
/// order, and that their distances do not depend on where the crystal is or how it is turned.
/// </summary>
public sealed class MolecularNeighborhoodsTests
{
    private const double Cutoff = 6.0;
    private static readonly AtomRoles UreaRoles = MolecularSymmetryFunctionParameters.Urea.Roles;

    [Fact]
    public void EveryMoleculeHasItsFourHeavyAtomsFirstThenTheOtherHeavyAtomsWithinTheCutoffNearestFirst()
    {
        using var frame = ReadFirst(Urea);
        var neighborhoods = new MolecularNeighborhoods(UreaRoles, Cutoff);
        var result = neighborhoods.Compute(frame);
        var molecules = OrientedMolecules.FromFrame(frame, UreaRoles);
        var role = frame.Column("sym_type")!.Values.ToArray(); // 0 H, 1 C, 2 O, 3 and 4 N

        Assert.Equal(["C", "O", "N"], neighborhoods.Elements);
        Assert.Equal(432, result.Count);
        Assert.Equal(molecules.Ids.ToArray(), result.MoleculeIds.ToArray());
        Assert.Equal(molecules.CenterAtoms.ToArray(), result.CenterAtoms.ToArray());
        for (int m = 0; m < result.Count; m++)
        {
            var nodes = result.NodesOf(m);
            var own = nodes[..4];
            Assert.All(own.ToArray(), n => Assert.True(n.Own && frame.Molecules[n.Atom] == result.MoleculeIds[m]));
            Assert.Equal([0, 1, 2, 2], own.ToArray().Select(n => n.Element).Order());
            var others = nodes[4..].ToArray();
            Assert.NotEmpty(others);
            Assert.All(others, n => Assert.True(!n.Own && n.Distance < Cutoff && frame.Molecules[n.Atom] != result.MoleculeIds[m]));
            Assert.Equal(others.Select(n => n.Distance).Order(), others.Select(n => n.Distance));
            Assert.All(nodes.ToArray(), n => Assert.NotEqual(0.0, role[n.Atom]));
            // The element a node carries is the file's.
            Assert.All(nodes.ToArray(), n => Assert.Equal(role[n.Atom] switch { 1 => 0, 2 => 1, _ => 2 }, n.Element));
        }
    }

    [Fact]
    public void NodeDistancesDoNotChangeWhenTheCrystalIsTurnedAndMoved()
    {
        using var frame = ReadFirst(Urea);
        // Without the cell (a block of crystal in vacuum), so that any rotation is allowed.
        using var block = Copy(frame, box: SimulationBox.None);
        var turn = Rotation(new Vector3d(1, 2, 3), 0.7);
        var offset = new Vector3d(-12.5, 40.25, 3.75);
        using var turned = Copy(frame, box: SimulationBox.None, move: a =>
        {
            var p = new Vector3d(frame.X[a], frame.Y[a], frame.Z[a]);
            return turn(p) + offset - p;
        });
        var neighborhoods = new MolecularNeighborhoods(UreaRoles, Cutoff);

        var before = neighborhoods.Compute(block);
        var after = neighborhoods.Compute(turned);

        int compared = AssertSameDistances(before, after);
        Assert.True(compared > 432 * 20, $"{compared} nodes compared");
    }

    [Fact]
    public void ThePeriodicCrystalMovedByAnyVectorHasTheSameNeighborhoods()
    {
        using var frame = ReadFirst(Urea);
        var shift = new Vector3d(7.3, -19.1, 101.7);
        using var moved = Copy(frame, move: _ => shift);
        var neighborhoods = new MolecularNeighborhoods(UreaRoles, Cutoff);

        var before = neighborhoods.Compute(frame);
        var after = neighborhoods.Compute(moved);

        AssertSameDistances(before, after);
    }

    [Fact]
    public void AMoleculeWithAnExtraHeavyAtomIsNamed()
    {
        using var frame = ReadFirst(Urea);
        using var changed = Copy(frame);
        // A hydrogen of molecule 7 labelled as a nitrogen (sym_type 3).
        int hydrogen = Enumerable.Range(0, frame.AtomCount).First(a => frame.Molecules[a] == 7 && frame.Column("sym_type")!.Values[a] == 0);
        changed.Column("sym_type")!.Values[hydrogen] = 3;

        var e = Assert.Throws<ArgumentException>(() => new MolecularNeighborhoods(UreaRoles, Cutoff).Compute(changed));

        Assert.Contains("molecule 7 has the heavy atoms C 1, O 1, N 3, but urea has C 1, O 1, N 2 (atoms read by sym_type)", e.Message);
    }

    [Fact]
    public void ADumpThatNamesOnlyTheRoleAtomsIsRefusedNamingTheMolecule()
    {
        // The nicotinamide dump names atoms by force-field ids in 'element': the preset's roles find 4 of the 9 heavy atoms.
        using var frame = ReadFirst(Nicotinamide);
        var e = Assert.Throws<ArgumentException>(() =>
            new MolecularNeighborhoods(MolecularSymmetryFunctionParameters.Nicotinamide.Roles, Cutoff).Compute(frame));
        Assert.Contains("molecule 1 has the heavy atoms C 2, N 1, O 1, but nicotinamide has C 6, N 2, O 1", e.Message);
        Assert.Contains("--roles C=<type>,N=<type>,O=<type>", e.Message);
    }

    [Fact]
    public void RolesWithoutElementsAreRefused()
    {
        var roles = new AtomRoles("sym_type", "1", [new RoleVector("1", "2")], "INPUT_urea.dat");
        var e = Assert.Throws<ArgumentException>(() => new MolecularNeighborhoods(roles, Cutoff));
        Assert.Contains("INPUT_urea.dat names atoms by its 'sym_type' values, not by elements", e.Message);
    }

    /// <summary>Asserts that each molecule has the same elements at the same distances in both; returns the nodes compared.</summary>
    private static int AssertSameDistances(MolecularNeighborhoodResult before, MolecularNeighborhoodResult after)
    {
        Assert.Equal(before.MoleculeIds.ToArray(), after.MoleculeIds.ToArray());
        int compared = 0;
        for (int m = 0; m < before.Count; m++)
        {
            var a = Distances(before.NodesOf(m));
            var b = Distances(after.NodesOf(m));
            Assert.Equal(a.Select(n => n.Element), b.Select(n => n.Element));
            for (int k = 0; k < a.Length; k++) Assert.Equal(a[k].Distance, b[k].Distance, 1e-4);
            compared += a.Length;
        }
        return compared;
    }

    // Atoms within float rounding of the cutoff may fall on either side of it.
    private static NeighborhoodNode[] Distances(ReadOnlySpan<NeighborhoodNode> nodes) =>
        nodes.ToArray().Where(n => n.Distance < Cutoff - 1e-3).OrderBy(n => n.Distance).ToArray();

    /// <summary>Rotation by <paramref name="angle"/> about <paramref name="axis"/> (Rodrigues).</summary>
    private static Func<Vector3d, Vector3d> Rotation(Vector3d axis, double angle)
    {
        var k = 1 / axis.Length * axis;
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return v => c * v + s * k.Cross(v) + k.Dot(v) * (1 - c) * k;
    }
}
