using System.Numerics;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.OrderParameters;
using StreamMonitor.Core;
using StreamMonitor.TestSupport;
using Xunit.Abstractions;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// <see cref="SolidBonds"/> against LAMMPS <c>compute coord/atom orientorder q6 0.7</c> on <c>orientorder/atom degrees 1 6
/// components 6 nnn 12 cutoff 1.5</c>, atom by atom, on the seeded quench and the triclinic run.
/// </summary>
[Collection(LammpsOrderCollection.Name)]
public sealed class SolidBondsTests(LammpsOrderParameters lammps, ITestOutputHelper output)
{
    private const double Cutoff = 1.5;

    public static TheoryData<string> Runs => new() { "quench", "triclinic" };

    [Theory]
    [MemberData(nameof(Runs))]
    public void BondCountsMatchLammpsOnEveryAtom(string run)
    {
        var frames = run == "quench" ? lammps.Quench : lammps.Triclinic;
        var bonds = new SolidBonds(threshold: 0.7, minimumBonds: 7);
        var oneGather = new SolidBonds(threshold: 0.7, minimumBonds: 7, nearest: 12);
        int compared = 0, skipped = 0, solid = 0;
        foreach (var frame in frames)
        {
            var query = NeighborQuery.FromFrame(frame, Cutoff);
            var within = query.WithinCutoff(Cutoff);
            var result = bonds.Compute(query.Nearest(12, Cutoff), within);
            Assert.Equal(result.Bonds.ToArray(), oneGather.Compute(within).Bonds.ToArray());

            var skip = Undecidable(frame, result.Orientations, within);
            var reference = frame.Column("c_bonds")!.Values;
            for (int i = 0; i < frame.AtomCount; i++)
            {
                Assert.Equal(result.Bonds[i] >= 7, result.Solid[i]);
                if (skip[i])
                {
                    skipped++;
                    continue;
                }
                compared++;
                Assert.True(reference[i] == result.Bonds[i],
                    $"frame {frame.Index}, atom id {frame.Ids[i]}: {result.Bonds[i]} bonds, LAMMPS {reference[i]}");
            }
            solid += result.SolidCount;
            Assert.Equal(result.Solid.ToArray().Count(s => s), result.SolidCount);
        }
        output.WriteLine($"{run}: {compared} atom-frames compared, {skipped} skipped, {solid} solid");
        Assert.True(skipped <= Math.Max(3, compared / 100), $"{skipped} atoms skipped, {compared} compared");
        Assert.True(solid > 0);
    }

    [Fact]
    public void TheSeedIsSolidTheLiquidIsNotAndTheCrystalGrows()
    {
        var bonds = new SolidBonds();
        var counts = new List<int>();
        foreach (var frame in lammps.Quench)
        {
            var query = NeighborQuery.FromFrame(frame, Cutoff);
            var result = bonds.Compute(query.Nearest(12, Cutoff), query.WithinCutoff(Cutoff));
            counts.Add(result.SolidCount);
            if (frame.Index != 0) continue;
            // Frame 0: the seed slab (z between 0.4 and 0.6 of the box) is a perfect crystal, the rest a hot liquid.
            double lz = frame.Box.C.Z;
            int seed = 0, seedSolid = 0, far = 0, farSolid = 0;
            for (int i = 0; i < frame.AtomCount; i++)
            {
                double s = frame.Z[i] / lz - Math.Floor(frame.Z[i] / lz);
                if (s > 0.42 && s < 0.58)
                {
                    seed++;
                    if (result.Solid[i]) seedSolid++;
                }
                else if (s < 0.25 || s > 0.75)
                {
                    far++;
                    if (result.Solid[i]) farSolid++;
                }
            }
            Assert.True(seedSolid > 0.95 * seed, $"{seedSolid} of {seed} seed atoms solid");
            Assert.True(farSolid < 0.1 * far, $"{farSolid} of {far} liquid atoms solid");
        }
        Assert.True(counts[^1] > counts[0], $"solid counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void APerfectFccCrystalIsAllSolidWithTwelveBonds()
    {
        var (box, x, y, z) = Lattices.Build("fcc", 4);
        var result = new SolidBonds().Compute(new NeighborQuery(box, x, y, z, 0.8).WithinCutoff(0.8));
        Assert.All(result.Bonds.ToArray(), b => Assert.Equal(12, b));
        Assert.Equal(x.Length, result.SolidCount);
    }

    [Fact]
    public void BadParametersAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SolidBonds(threshold: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SolidBonds(minimumBonds: -1));
        var list = new NeighborQuery(SimulationBox.Orthogonal(3, 3, 3), [0f, 1f], [0f, 0f], [0f, 0f], 1.2).WithinCutoff(1.2);
        var q4 = new Steinhardt([4], components: 4).Compute(list);
        Assert.Contains("q_6", Assert.Throws<ArgumentException>(() => new SolidBonds().Compute(q4, list)).Message);
    }

    /// <summary>
    /// Atoms whose bond count cannot be decided at float precision: a neighbour at the cutoff, a product at the threshold,
    /// or a q6 vector (its own or a bonded neighbour's) from a 12-nearest choice that is a tie.
    /// </summary>
    private static bool[] Undecidable(Frame frame, SteinhardtResult q6, NeighborList within)
    {
        var tie = LammpsOrderParameters.Ambiguous(LammpsOrderParameters.Within(frame, Cutoff + 0.01), Cutoff, 12);
        var result = (bool[])tie.Clone();
        for (int i = 0; i < frame.AtomCount; i++)
        {
            foreach (int j in within.Neighbors(i))
            {
                if (tie[j]) result[i] = true;
                Complex dot = 0;
                var a = q6.Components(i);
                var b = q6.Components(j);
                for (int m = 0; m < a.Length; m++) dot += a[m] * Complex.Conjugate(b[m]);
                if (Math.Abs(dot.Real - 0.7) < 1e-5) result[i] = true;
            }
        }
        return result;
    }
}
