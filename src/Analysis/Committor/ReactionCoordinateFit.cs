namespace StreamMonitor.Analysis.Committor;

/// <summary>
/// A reaction coordinate r = a₀ + Σ aᵢ qᵢ fitted to shot outcomes by <see cref="LikelihoodReactionCoordinate"/>: its
/// coefficients (intercept first) with standard errors from the inverse Fisher information, its log-likelihood, and
/// its Bayesian information criterion (lower is better; compares coordinates built from different quantities).
/// </summary>
public sealed record ReactionCoordinateFit(
    IReadOnlyList<string> Quantities,
    IReadOnlyList<double> Coefficients,
    IReadOnlyList<double> StandardErrors,
    double LogLikelihood,
    double Bic,
    int Shots)
{
    /// <summary>r for the given values of <see cref="Quantities"/>, in their order.</summary>
    public double Coordinate(ReadOnlySpan<double> values)
    {
        if (values.Length != Quantities.Count) throw new ArgumentException($"expected {Quantities.Count} values ({string.Join(", ", Quantities)}), got {values.Length}");
        double r = Coefficients[0];
        for (int i = 0; i < values.Length; i++) r += Coefficients[i + 1] * values[i];
        return r;
    }

    /// <summary>The committor the coordinate predicts: p_B = ½ (1 + tanh r).</summary>
    public double PB(ReadOnlySpan<double> values) => 0.5 * (1 + Math.Tanh(Coordinate(values)));
}
