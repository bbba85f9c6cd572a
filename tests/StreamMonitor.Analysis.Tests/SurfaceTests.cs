using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Core;
using static StreamMonitor.Analysis.Tests.MolecularTestData;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// Surface vs core on a urea nanocluster cut out of the form I crystal (a 2 × 2 × 2 supercell, every molecule whose
/// center is within 16 Å of the middle): the outer shell is surface, the inside core, and the bulk crystal all core.
/// </summary>
public sealed class SurfaceTests
{
    private const double ClusterRadius = 16;

    private static readonly AtomRoles Roles = MolecularSymmetryFunctionParameters.Urea.Roles;

    /// <summary>The cluster in a box far larger than it (or with no box), and each molecule's distance from its middle.</summary>
    private static (Frame Frame, Dictionary<int, double> Distance) Cluster(bool withBox)
    {
        using var crystal = ReadFirst(Urea);
        using var supercell = Replicate(crystal, 2, 2, 2);
        var all = OrientedMolecules.FromFrame(supercell, Roles);
        var middle = supercell.Box.Origin + 0.5 * (supercell.Box.A + supercell.Box.B + supercell.Box.C);
        var distance = new Dictionary<int, double>();
        for (int m = 0; m < all.Count; m++)
        {
            double d = (new Vector3d(all.CenterX[m], all.CenterY[m], all.CenterZ[m]) - middle).Length;
            if (d < ClusterRadius) distance[all.Ids[m]] = d;
        }
        var atoms = Enumerable.Range(0, supercell.AtomCount).Where(a => distance.ContainsKey(supercell.Molecules[a])).ToArray();
        var box = withBox ? SimulationBox.Orthogonal(300, 300, 300, middle - new Vector3d(150, 150, 150)) : SimulationBox.None;
        return (Copy(supercell, atoms: atoms, box: box), distance);
    }

    [Fact]
    public void BulkCrystalIsAllCore()
    {
        using var frame = ReadFirst(Urea);
        var molecules = OrientedMolecules.FromFrame(frame, Roles);
        var result = new SurfaceClassifier().Compute(molecules);
        Assert.Equal(molecules.LargestRadius + 6, result.Radius, 12);
        Assert.InRange(result.Radius, 7.9, 8.2); // C…H of urea (~2 Å) + 6 Å
        Assert.Equal(0, result.SurfaceCount);
        Assert.Equal(432, result.CoreCount);
        Assert.All(result.NeighborCounts.ToArray(), n => Assert.Equal(30, n));
    }

    [Fact]
    public void ClusterHasASurfaceShellAroundACore()
    {
        var (frame, distance) = Cluster(withBox: true);
        using (frame)
        {
            var molecules = OrientedMolecules.FromFrame(frame, Roles);
            var result = new SurfaceClassifier().Compute(molecules);
            Assert.Equal(distance.Count, result.Count);
            Assert.Equal(result.Count, result.SurfaceCount + result.CoreCount);
            for (int m = 0; m < result.Count; m++)
            {
                double d = distance[result.Ids[m]];
                // Whole neighbourhood inside the cluster: the bulk count. Within 3 Å of the edge: surface.
                if (d + result.Radius < ClusterRadius - 1)
                {
                    Assert.Equal(30, result.NeighborCounts[m]);
                    Assert.False(result.IsSurface[m]);
                }
                if (d > ClusterRadius - 3) Assert.True(result.IsSurface[m], $"molecule at {d:F1} Å from the middle has {result.NeighborCounts[m]} neighbours");
            }
            // Surface molecules are the outer ones: every surface molecule is farther out than every core molecule.
            double innermostSurface = Enumerable.Range(0, result.Count).Where(m => result.IsSurface[m]).Min(m => distance[result.Ids[m]]);
            double outermostCore = Enumerable.Range(0, result.Count).Where(m => !result.IsSurface[m]).Max(m => distance[result.Ids[m]]);
            Assert.True(innermostSurface > outermostCore, $"surface from {innermostSurface:F2} Å, core to {outermostCore:F2} Å");
            Assert.InRange(result.SurfaceCount, 0.3 * result.Count, 0.7 * result.Count);
        }
    }

    [Fact]
    public void AClusterWithoutABoxGivesTheSameCounts()
    {
        var (boxed, _) = Cluster(withBox: true);
        var (open, _) = Cluster(withBox: false);
        using (boxed)
        using (open)
        {
            Assert.False(open.Box.HasCell);
            var a = new SurfaceClassifier().Compute(OrientedMolecules.FromFrame(boxed, Roles));
            var b = new SurfaceClassifier().Compute(OrientedMolecules.FromFrame(open, Roles));
            Assert.Equal(a.NeighborCounts.ToArray(), b.NeighborCounts.ToArray());
            // The symmetry functions work on an open cluster too (no periodic images).
            var f = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea);
            var (fa, fb) = (f.Compute(boxed).Features.ToArray(), f.Compute(open).Features.ToArray());
            for (int k = 0; k < fa.Length; k++) Assert.True(Relative(fb[k], fa[k]) < 1e-12); // summed in another order
        }
    }

    [Fact]
    public void AtomsAreCountedWithinAnExplicitRadius()
    {
        var (frame, _) = Cluster(withBox: true);
        using (frame)
        {
            Assert.Throws<InvalidOperationException>(() => new SurfaceClassifier().Compute(frame));
            var result = new SurfaceClassifier(radius: 4.0, minNeighbors: 25).Compute(frame);
            Assert.Equal(frame.AtomCount, result.Count);
            for (int i = 0; i < frame.AtomCount; i += 37)
            {
                int expected = 0;
                for (int j = 0; j < frame.AtomCount; j++)
                {
                    double dx = frame.X[j] - frame.X[i], dy = frame.Y[j] - frame.Y[i], dz = frame.Z[j] - frame.Z[i];
                    if (j != i && dx * dx + dy * dy + dz * dz < 16) expected++;
                }
                Assert.Equal(expected, result.NeighborCounts[i]);
            }
            Assert.Equal(frame.Ids.ToArray(), result.Ids.ToArray());
            Assert.True(result.SurfaceCount > 0 && result.CoreCount > 0);
        }
    }
    [Fact]
    public void TheSurfaceOfASelectionCountsEveryoneAsANeighbourButOnlyTheSelectedAsSurface()
    {
        var (frame, _) = Cluster(withBox: true);
        using (frame)
        {
            var molecules = OrientedMolecules.FromFrame(frame, Roles);
            var classifier = new SurfaceClassifier();
            var all = classifier.Compute(molecules);
            // Every third molecule: the full result restricted to them, since the others still count as neighbours.
            var among = Enumerable.Range(0, all.Count).Select(m => m % 3 == 0).ToArray();
            int expected = Enumerable.Range(0, all.Count).Count(m => among[m] && all.IsSurface[m]);
            Assert.True(expected > 0);
            Assert.Equal(expected, classifier.CountSurface(molecules, among));

            var atoms = new SurfaceClassifier(radius: 4.0, minNeighbors: 25);
            var everyAtom = atoms.Compute(frame);
            var someAtoms = Enumerable.Range(0, frame.AtomCount).Select(i => i % 5 == 1).ToArray();
            Assert.Equal(Enumerable.Range(0, frame.AtomCount).Count(i => someAtoms[i] && everyAtom.IsSurface[i]), atoms.CountSurface(frame, someAtoms));
            Assert.Throws<ArgumentException>(() => atoms.CountSurface(frame, new bool[3]));
        }
    }
}
