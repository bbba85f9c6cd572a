using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Structure;
using StreamMonitor.Core;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Analysis.Tests;

/// <summary>Adaptive CNA on perfect, scaled, strained and thermally displaced lattices, icosahedra and disordered packings.</summary>
public sealed class AdaptiveCommonNeighbourAnalysisTests
{
    private static readonly AdaptiveCommonNeighbourAnalysis Cna = new();

    /// <summary>Nearest-neighbour distance of <see cref="Lattices.Build"/>'s lattices (spacing 1).</summary>
    private static double NearestNeighbor(string lattice) => lattice switch
    {
        "fcc" => Math.Sqrt(0.5),
        "bcc" => Math.Sqrt(3) / 2,
        _ => 1.0,
    };

    private static LocalStructure Expected(string lattice) => Enum.Parse<LocalStructure>(lattice, ignoreCase: true);

    private static LocalStructureResult Compute(SimulationBox box, float[] x, float[] y, float[] z) =>
        Cna.Compute(new NeighborQuery(box, x, y, z, cellSize: 1.0));

    /// <summary>Each coordinate moved by a normal deviate of <paramref name="sigma"/> (a fixed seed: the same frame every run).</summary>
    private static void Displace(float[] x, float[] y, float[] z, double sigma, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += (float)(sigma * Normal());
            y[i] += (float)(sigma * Normal());
            z[i] += (float)(sigma * Normal());
        }
    }

    [Theory]
    [InlineData("fcc")]
    [InlineData("hcp")]
    [InlineData("bcc")]
    public void EveryAtomOfAPerfectLatticeIsItsStructure(string lattice)
    {
        var (box, x, y, z) = Lattices.Build(lattice, 4);
        var result = Compute(box, x, y, z);
        Assert.Equal(x.Length, result.ParticleCount);
        Assert.Equal(x.Length, result.Count(Expected(lattice)));
        Assert.Equal(1.0, result.Fraction(Expected(lattice)));
    }

    /// <summary>
    /// One cutoff per atom from its own neighbours: a lattice scaled by any factor, or strained along one axis (where a
    /// global cutoff fixed from the density is too long one way and too short the other), is still recognised.
    /// </summary>
    [Theory]
    [InlineData("fcc", 3.7, 1.0)]
    [InlineData("fcc", 0.4, 1.06)]
    [InlineData("hcp", 2.5, 0.95)]
    [InlineData("bcc", 1.8, 1.05)]
    public void AScaledOrStrainedLatticeIsStillItsStructure(string lattice, double scale, double strainZ)
    {
        var (box, x, y, z) = Lattices.Build(lattice, 4);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(x[i] * scale);
            y[i] = (float)(y[i] * scale);
            z[i] = (float)(z[i] * scale * strainZ);
        }
        var scaled = new SimulationBox(scale * box.A, scale * box.B, scale * strainZ * box.C, box.Origin);
        Assert.Equal(x.Length, Compute(scaled, x, y, z).Count(Expected(lattice)));
    }

    /// <summary>
    /// Displacements of 4% of the nearest-neighbour distance per coordinate (a warm crystal well below melting): most
    /// atoms keep their structure, the rest become other, and almost none is taken for another crystal.
    /// </summary>
    [Theory]
    [InlineData("fcc")]
    [InlineData("hcp")]
    [InlineData("bcc")]
    public void AThermallyDisplacedLatticeIsMostlyItsStructureAndNeverAnother(string lattice)
    {
        var (box, x, y, z) = Lattices.Build(lattice, 5);
        Displace(x, y, z, 0.04 * NearestNeighbor(lattice), seed: 7);
        var result = Compute(box, x, y, z);
        Assert.True(result.Fraction(Expected(lattice)) >= 0.8, $"{result.Fraction(Expected(lattice)):P1} of a displaced {lattice} lattice called {lattice}");
        double wrong = new[] { LocalStructure.Fcc, LocalStructure.Hcp, LocalStructure.Bcc, LocalStructure.Ico }
            .Where(s => s != Expected(lattice)).Sum(result.Fraction);
        Assert.True(wrong <= 0.02, $"{wrong:P1} of a displaced {lattice} lattice called another structure");
    }

    /// <summary>Two 13-atom icosahedra far apart: the centres are ico, the shell atoms (5 neighbours each) other.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.03)]
    public void TheCentreOfAnIcosahedronIsIco(double sigma)
    {
        double phi = (1 + Math.Sqrt(5)) / 2;
        var vertices = new List<Vector3d>();
        foreach (double s1 in new[] { -1.0, 1.0 })
            foreach (double s2 in new[] { -phi, phi })
            {
                vertices.Add(new Vector3d(0, s1, s2));
                vertices.Add(new Vector3d(s1, s2, 0));
                vertices.Add(new Vector3d(s2, 0, s1));
            }
        var centres = new[] { new Vector3d(5, 5, 5), new Vector3d(15, 15, 15) };
        var (x, y, z) = (new List<float>(), new List<float>(), new List<float>());
        foreach (var centre in centres)
            foreach (var r in vertices.Select(v => 1 / v.Length * v).Prepend(Vector3d.Zero))
            {
                x.Add((float)(centre.X + r.X));
                y.Add((float)(centre.Y + r.Y));
                z.Add((float)(centre.Z + r.Z));
            }
        var (ax, ay, az) = (x.ToArray(), y.ToArray(), z.ToArray());
        Displace(ax, ay, az, sigma, seed: 3);
        var result = Compute(SimulationBox.Orthogonal(20, 20, 20), ax, ay, az);
        Assert.Equal(LocalStructure.Ico, result.Structures[0]);
        Assert.Equal(LocalStructure.Ico, result.Structures[13]);
        Assert.Equal(2, result.Count(LocalStructure.Ico));
        Assert.Equal(24, result.Count(LocalStructure.Other));
    }

    /// <summary>
    /// A disordered packing (random spheres, at least 0.85 apart, at the number density of a dense liquid): no
    /// crystal and no icosahedron arises by chance.
    /// </summary>
    [Fact]
    public void ADisorderedPackingHasNoStructure()
    {
        const double side = 8.0, least = 0.85;
        int wanted = (int)(0.8 * side * side * side);
        var random = new Random(11);
        var points = new List<Vector3d>();
        var cell = new PeriodicCell(SimulationBox.Orthogonal(side, side, side));
        for (int tries = 0; points.Count < wanted && tries < 2_000_000; tries++)
        {
            var p = new Vector3d(side * random.NextDouble(), side * random.NextDouble(), side * random.NextDouble());
            if (points.All(q => cell.MinimumImage(p - q).Length >= least)) points.Add(p);
        }
        Assert.Equal(wanted, points.Count);
        var result = Compute(cell.Box, points.Select(p => (float)p.X).ToArray(), points.Select(p => (float)p.Y).ToArray(),
            points.Select(p => (float)p.Z).ToArray());
        Assert.True(result.Fraction(LocalStructure.Other) >= 0.99, $"{1 - result.Fraction(LocalStructure.Other):P1} of a disordered packing given a structure");
    }

    [Fact]
    public void AFrameTooSmallForFourteenNeighboursIsAllOther()
    {
        var (box, x, y, z) = Lattices.Build("fcc", 2);
        var small = Compute(box, x[..10], y[..10], z[..10]);
        Assert.Equal(10, small.Count(LocalStructure.Other));
    }

    [Fact]
    public void AnUnsortedListIsRefused()
    {
        var (box, x, y, z) = Lattices.Build("fcc", 3);
        var unsorted = new NeighborQuery(box, x, y, z, 1.0).WithinCutoff(1.0, sorted: false);
        var e = Assert.Throws<ArgumentException>(() => Cna.Compute(unsorted));
        Assert.Contains("sorted by distance", e.Message);
    }

    [Fact]
    public void AFrameIsClassifiedInItsAtomOrder()
    {
        var (box, x, y, z) = Lattices.Build("bcc", 4);
        using var frame = new Frame(x.Length) { Box = box };
        x.CopyTo(frame.X);
        y.CopyTo(frame.Y);
        z.CopyTo(frame.Z);
        Assert.Equal(x.Length, Cna.Compute(frame).Count(LocalStructure.Bcc));
    }
}
