using StreamMonitor.Classification.Oracles;
using StreamMonitor.Core;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests.Oracles;

/// <summary>
/// Quenched structures carried back to thermal frames: kept where the thermal frame bears them out, dropped where it
/// shows another structure or none (a quench that left the thermal basin, or liquid quenched onto a crystal).
/// </summary>
public sealed class QuenchedStructureLabellerTests
{
    private static readonly QuenchedStructureLabeller Labeller = new();

    /// <summary>A frame of a perfect lattice (256 atoms for fcc and hcp of 4 cells), ids 1..n, each coordinate moved by up to ±<paramref name="jitter"/>.</summary>
    private static Frame LatticeFrame(string lattice, double jitter = 0, bool reversed = false)
    {
        var (box, x, y, z) = Lattices.Build(lattice, 4);
        var random = new Random(5);
        var frame = new Frame(x.Length) { Box = box };
        for (int i = 0; i < x.Length; i++)
        {
            int at = reversed ? x.Length - 1 - i : i;
            frame.Ids[at] = i + 1;
            frame.X[at] = x[i] + (float)(jitter * (2 * random.NextDouble() - 1));
            frame.Y[at] = y[i] + (float)(jitter * (2 * random.NextDouble() - 1));
            frame.Z[at] = z[i] + (float)(jitter * (2 * random.NextDouble() - 1));
        }
        return frame;
    }

    private static int Count(OracleLabels labels, OracleStructure structure) =>
        Enumerable.Range(0, labels.Count).Count(a => labels.CrystalOf(a) == structure);

    [Fact]
    public void AQuenchThatKeptTheThermalStructureLabelsEveryAtomInTheThermalFramesOrder()
    {
        using var thermal = LatticeFrame("fcc", jitter: 0.06, reversed: true);
        using var quenched = LatticeFrame("fcc");
        var labels = Labeller.Label(thermal, quenched);
        Assert.Equal(thermal.Ids.ToArray(), labels.Ids);
        Assert.Equal(256, Count(labels, OracleStructure.Fcc));
    }

    /// <summary>A thermal hcp crystal whose quench came out fcc: the thermal atoms vote hcp, so no fcc label is kept.</summary>
    [Fact]
    public void AQuenchIntoAnotherLatticeLabelsNothing()
    {
        using var thermal = LatticeFrame("hcp", jitter: 0.03);
        using var quenched = LatticeFrame("fcc");
        var labels = Labeller.Label(thermal, quenched);
        Assert.Equal(OracleStructure.Fcc, labels.Structures[0]);
        Assert.All(Enumerable.Range(0, labels.Count), a => Assert.Null(labels.CrystalOf(a)));
        Assert.All(labels.Unambiguous, Assert.False);
    }

    /// <summary>Thermal positions without order (as a liquid quenched onto a crystal): no atom has a thermal witness.</summary>
    [Fact]
    public void AQuenchedCrystalWithoutThermalWitnessesLabelsNothing()
    {
        using var quenched = LatticeFrame("fcc");
        using var thermal = LatticeFrame("fcc");
        var random = new Random(9);
        var size = quenched.Box.A.X;
        for (int i = 0; i < thermal.AtomCount; i++)
        {
            thermal.X[i] = (float)(size * random.NextDouble());
            thermal.Y[i] = (float)(size * random.NextDouble());
            thermal.Z[i] = (float)(size * random.NextDouble());
        }
        var labels = Labeller.Label(thermal, quenched);
        Assert.Equal(0, OracleStructures.Crystals.Sum(c => Count(labels, c)));
    }

    /// <summary>The witnesses needed: one witness in a neighbourhood is enough for 1, not for 13.</summary>
    [Fact]
    public void MoreWitnessesKeepFewerLabels()
    {
        using var thermal = LatticeFrame("fcc", jitter: 0.1);
        using var quenched = LatticeFrame("fcc");
        int lenient = Count(new QuenchedStructureLabeller(witnesses: 1).Label(thermal, quenched), OracleStructure.Fcc);
        int strict = Count(new QuenchedStructureLabeller(witnesses: 13).Label(thermal, quenched), OracleStructure.Fcc);
        Assert.True(strict < lenient, $"13 witnesses kept {strict} labels, 1 witness {lenient}");
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuenchedStructureLabeller(witnesses: 14));
    }

    [Fact]
    public void AQuenchedFrameWithOtherAtomsIsRefusedNamingTheId()
    {
        using var thermal = LatticeFrame("fcc");
        using var quenched = LatticeFrame("fcc");
        quenched.Ids[7] = 9999;
        var e = Assert.Throws<OracleException>(() => Labeller.Label(thermal, quenched));
        Assert.Contains("9999", e.Message);
    }
}
