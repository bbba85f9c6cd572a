using MathNet.Numerics.LinearAlgebra;

namespace StreamMonitor.Analysis.Committor;

/// <summary>
/// Likelihood maximisation of a reaction coordinate (Peters and Trout, J. Chem. Phys. 125, 054108, 2006): each shot
/// from a configuration with quantities q ends in B with probability p_B(r) = ½ (1 + tanh r), r = a₀ + Σ aᵢ qᵢ, and the
/// coefficients maximise Σ_B ln p_B + Σ_A ln (1 − p_B). Since ½ (1 + tanh r) is the logistic function of 2r, this is a
/// logistic regression, solved by Newton's method (the log-likelihood is concave, so it converges from zero); the
/// standard errors come from the inverse of the information matrix at the optimum. Competing coordinates (subsets of
/// candidate quantities) are ranked by BIC = k ln N − 2 ln L.
/// </summary>
public static class LikelihoodReactionCoordinate
{
    private const int MaxIterations = 100;
    private const double Tolerance = 1e-10;

    /// <summary>Fits r to shots: <paramref name="values"/>[shot][quantity], <paramref name="reachedB"/>[shot].</summary>
    public static ReactionCoordinateFit Fit(IReadOnlyList<string> quantities, IReadOnlyList<double[]> values, IReadOnlyList<bool> reachedB)
    {
        ArgumentNullException.ThrowIfNull(quantities);
        int n = values.Count, k = quantities.Count + 1;
        if (reachedB.Count != n) throw new ArgumentException($"{n} shots' values but {reachedB.Count} outcomes");
        if (n <= k) throw new ArgumentException($"{n} shots cannot fit {k} coefficients: need more shots than coefficients");
        var x = Matrix<double>.Build.Dense(n, k, (row, column) =>
        {
            if (column == 0) return 1;
            var shot = values[row];
            if (shot.Length != quantities.Count) throw new ArgumentException($"shot {row}: {shot.Length} values for {quantities.Count} quantities");
            return shot[column - 1];
        });
        var y = Vector<double>.Build.Dense(n, row => reachedB[row] ? 1 : 0);
        if (y.Sum() == 0 || y.Sum() == n) throw new ArgumentException($"all {n} shots ended in {(y.Sum() == 0 ? "A" : "B")}: the outcomes say nothing about a coordinate");

        // beta = 2a: the coefficients of the logistic regression.
        var beta = Vector<double>.Build.Dense(k);
        Matrix<double> information = Matrix<double>.Build.Dense(k, k);
        for (int iteration = 0; ; iteration++)
        {
            var mu = (x * beta).Map(Logistic);
            var weights = mu.Map(m => m * (1 - m));
            information = x.TransposeThisAndMultiply(x.MapIndexed((row, _, v) => v * weights[row]));
            var step = information.Solve(x.TransposeThisAndMultiply(y - mu));
            beta += step;
            if (step.InfinityNorm() < Tolerance * (1 + beta.InfinityNorm())) break;
            if (iteration == MaxIterations || beta.InfinityNorm() > 1e6 || beta.Exists(double.IsNaN))
                throw new InvalidOperationException(
                    $"the likelihood has no maximum for ({string.Join(", ", quantities)}): the outcomes are split exactly by these quantities (more shots near the transition are needed)");
        }
        var covariance = information.Inverse();
        double logLikelihood = 0;
        var final = (x * beta).Map(Logistic);
        for (int row = 0; row < n; row++)
            logLikelihood += y[row] == 1 ? Math.Log(Math.Max(final[row], double.Epsilon)) : Math.Log(Math.Max(1 - final[row], double.Epsilon));
        return new ReactionCoordinateFit(
            quantities.ToArray(),
            beta.Select(b => b / 2).ToArray(),
            Enumerable.Range(0, k).Select(i => Math.Sqrt(covariance[i, i]) / 2).ToArray(),
            logLikelihood,
            k * Math.Log(n) - 2 * logLikelihood,
            n);
    }

    /// <summary>
    /// Every coordinate built from up to <paramref name="maxTerms"/> of the candidate quantities (columns of
    /// <paramref name="values"/>), best BIC first; subsets whose likelihood has no maximum, or with no fewer coefficients
    /// than there are shots, are left out.
    /// </summary>
    public static IReadOnlyList<ReactionCoordinateFit> Rank(IReadOnlyList<string> candidates, IReadOnlyList<double[]> values, IReadOnlyList<bool> reachedB, int maxTerms = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTerms, 1);
        var fits = new List<ReactionCoordinateFit>();
        foreach (var subset in Subsets(candidates.Count, Math.Min(maxTerms, candidates.Count)))
        {
            // A campaign's first decided shots are too few for the larger subsets (more shots than coefficients needed).
            if (values.Count <= subset.Length + 1) continue;
            try
            {
                fits.Add(Fit(subset.Select(i => candidates[i]).ToArray(), values.Select(v => subset.Select(i => v[i]).ToArray()).ToArray(), reachedB));
            }
            catch (InvalidOperationException)
            {
                // separable by this subset: no finite coordinate to compare
            }
        }
        return fits.OrderBy(f => f.Bic).ToArray();
    }

    private static double Logistic(double t) => t >= 0 ? 1 / (1 + Math.Exp(-t)) : Math.Exp(t) / (1 + Math.Exp(t));

    private static IEnumerable<int[]> Subsets(int count, int maxSize)
    {
        for (int size = 1; size <= maxSize; size++)
            foreach (var subset in Combinations(0, count, size)) yield return subset;
    }

    private static IEnumerable<int[]> Combinations(int start, int count, int size)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }
        for (int first = start; first <= count - size; first++)
            foreach (var rest in Combinations(first + 1, count, size - 1)) yield return [first, .. rest];
    }
}
