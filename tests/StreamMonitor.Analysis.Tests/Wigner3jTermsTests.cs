using StreamMonitor.Analysis.OrderParameters;

namespace StreamMonitor.Analysis.Tests;

public sealed class Wigner3jTermsTests
{
    /// <summary>
    /// The folded table gives the w_l of the full sum over every (m1, m2) with the unfolded 3j symbols, for q_lm of a
    /// random orientation; even degrees are folded to a fraction of the terms, odd ones are not.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(12)]
    public void The_folded_sum_is_the_full_sum(int l)
    {
        var random = new Random(l);
        var terms = new Wigner3jTerms(l);
        var fullRe = new System.Numerics.Vector<double>[2 * l + 1];
        var fullIm = new System.Numerics.Vector<double>[2 * l + 1];
        // A different orientation in every lane: a lane that read another's components, or none, would be caught.
        int lanes = System.Numerics.Vector<double>.Count;
        var expected = new double[lanes];
        var (laneRe, laneIm) = (new double[l + 1, lanes], new double[l + 1, lanes]);
        for (int lane = 0; lane < lanes; lane++)
        {
            var re = new double[l + 1];
            var im = new double[l + 1];
            for (int m = 0; m <= l; m++)
            {
                re[m] = laneRe[m, lane] = random.NextDouble() - 0.5;
                im[m] = laneIm[m, lane] = m == 0 ? 0 : random.NextDouble() - 0.5; // q_l0 is real
            }
            expected[lane] = FullSum(l, re, im);
        }
        terms.Spread(ByLane(laneRe), ByLane(laneIm), fullRe, fullIm);

        var folded = terms.Evaluate(fullRe, fullIm);

        for (int lane = 0; lane < lanes; lane++) Assert.Equal(expected[lane], folded[lane], 1e-12);
        Assert.True(expected.Distinct().Count() == lanes, "every lane has its own w_l");
        int pairs = Enumerable.Range(-l, 2 * l + 1).Sum(m1 => Enumerable.Range(-l, 2 * l + 1).Count(m2 => Math.Abs(m1 + m2) <= l));
        if (l % 2 == 0) Assert.True(terms.Coefficients.Length * 4 < pairs, $"{terms.Coefficients.Length} terms of {pairs}");
    }

    /// <summary>Row m of <paramref name="values"/> (m, lane) as a vector per m.</summary>
    internal static System.Numerics.Vector<double>[] ByLane(double[,] values) =>
        [.. Enumerable.Range(0, values.GetLength(0)).Select(m => new System.Numerics.Vector<double>(
            Enumerable.Range(0, values.GetLength(1)).Select(lane => values[m, lane]).ToArray()))];

    /// <summary>w_l over every (m1, m2) with the unfolded 3j symbols.</summary>
    private static double FullSum(int l, double[] re, double[] im)
    {
        double full = 0;
        for (int m1 = -l; m1 <= l; m1++)
            for (int m2 = -l; m2 <= l; m2++)
            {
                int m3 = -m1 - m2;
                if (Math.Abs(m3) > l) continue;
                var product = Q(m1) * Q(m2) * Q(m3);
                full += Wigner3j.Symbol(l, m1, m2, m3) * product.Real;
            }
        return full;

        System.Numerics.Complex Q(int m) => m >= 0
            ? new System.Numerics.Complex(re[m], im[m])
            : System.Numerics.Complex.Conjugate(new System.Numerics.Complex(re[-m], im[-m])) * ((-m) % 2 == 0 ? 1 : -1);
    }
}
