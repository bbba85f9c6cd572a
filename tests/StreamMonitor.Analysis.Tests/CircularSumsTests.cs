using System.Runtime.Intrinsics;
using StreamMonitor.Analysis.Clusters;

namespace StreamMonitor.Analysis.Tests;

public class CircularSumsTests
{
    /// <summary>
    /// sin 2πs and cos 2πs against .NET's sinπ and cosπ (reduced exactly, correctly rounded or nearly), over fractional
    /// coordinates of members unwrapped a few cells away, quarter-turn boundaries and their neighbours included.
    /// </summary>
    [Fact]
    public void SinesAndCosinesOfTurnsAreWithinAnUlpOrTwo()
    {
        var random = new Random(3);
        var turns = Enumerable.Range(0, 200_000).Select(_ => (random.NextDouble() - 0.5) * 8).ToList();
        foreach (double edge in new[] { -2, -1.75, -1.5, -1.25, -1, -0.75, -0.5, -0.25, 0, 0.125, 0.25, 0.375, 0.5, 0.75, 1, 1.25, 3.5 })
            turns.AddRange([edge, Math.BitDecrement(edge), Math.BitIncrement(edge)]);
        double worst = 0;
        for (int i = 0; i + 4 <= turns.Count; i += 4)
        {
            var s = Vector256.Create(turns[i], turns[i + 1], turns[i + 2], turns[i + 3]);
            var (sin, cos) = CircularSums.SinCosOfTurns(s);
            for (int k = 0; k < 4; k++)
            {
                double t = 2 * s[k];
                worst = Math.Max(worst, Math.Max(Math.Abs(sin[k] - double.SinPi(t)), Math.Abs(cos[k] - double.CosPi(t))));
            }
        }
        Assert.InRange(worst, 0, 3e-16);
        var (zeroSin, zeroCos) = CircularSums.SinCosOfTurns(Vector256.Create(0.0, 0.25, 0.5, -0.25));
        Assert.Equal([0.0, 1, 0, -1], [Math.Abs(zeroSin[0]), zeroSin[1], Math.Abs(zeroSin[2]), zeroSin[3]]);
        Assert.Equal([1.0, 0, -1, 0], [zeroCos[0], Math.Abs(zeroCos[1]), zeroCos[2], Math.Abs(zeroCos[3])]);
    }

    /// <summary>The sums take cos then sin at each target, in the order given, including a last partial vector.</summary>
    [Fact]
    public void SumsAddCosineThenSineAtEachTarget()
    {
        var sums = new double[4];
        var angles = new CircularSums(sums);
        double[] values = [0.1, 0.35, -0.2, 1.6, 0.05, 0.9, 0.45];
        for (int i = 0; i < values.Length; i++) angles.Add(values[i], 2 * (i % 2));
        angles.Flush();
        for (int target = 0; target < 2; target++)
        {
            var mine = values.Where((_, i) => i % 2 == target).ToArray();
            Assert.Equal(mine.Sum(v => double.CosPi(2 * v)), sums[2 * target], 1e-14);
            Assert.Equal(mine.Sum(v => double.SinPi(2 * v)), sums[2 * target + 1], 1e-14);
        }
    }
}
