using StreamMonitor.Analysis.Committor;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// Committor intervals against independent values (SciPy's beta quantiles; Wilson's interval as Brown, Cai and DasGupta
/// tabulate it), and the likelihood-maximised reaction coordinate recovering the coordinate that generated the shots.
/// </summary>
public sealed class CommittorTests
{
    [Theory]
    // scipy.stats.beta.ppf([0.025, 0.975], b + 0.5, n - b + 0.5)
    [InlineData(5, 10, 0.22352867, 0.77647133)]
    [InlineData(0, 10, 0.0, 0.21719627)]
    [InlineData(10, 10, 0.78280373, 1.0)]
    public void The_Jeffreys_interval_is_the_beta_posteriors(int toB, int decided, double lower, double upper)
    {
        var (l, u) = CommittorInterval.Jeffreys(toB, decided);
        Assert.Equal(lower, l, 6);
        Assert.Equal(upper, u, 6);
    }

    [Fact]
    public void The_Wilson_interval_keeps_coverage_at_the_ends()
    {
        var (l, u) = CommittorInterval.Wilson(5, 10);
        Assert.Equal(0.2366, l, 4);
        Assert.Equal(0.7634, u, 4);
        (l, u) = CommittorInterval.Wilson(0, 10);
        Assert.Equal(0, l, 12);
        Assert.Equal(0.2775, u, 4); // 1.96² / (10 + 1.96²)
        Assert.Equal((0.0, 1.0), CommittorInterval.Wilson(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommittorInterval.Wilson(11, 10));
    }

    [Fact]
    public void A_point_whose_interval_holds_a_half_may_be_a_transition_state()
    {
        var even = CommittorEstimate.Of("p1", toA: 4, toB: 5, undecided: 1);
        Assert.Equal(5.0 / 9, even.PB, 12);
        Assert.True(even.MayBeTransitionState);
        Assert.False(CommittorEstimate.Of("p2", toA: 10, toB: 0).MayBeTransitionState);
        Assert.True(double.IsNaN(CommittorEstimate.Of("p3", 0, 0, undecided: 3).PB));
    }

    /// <summary>Shots drawn from p_B = ½(1 + tanh(a₀ + a₁ n_max)), with a distractor quantity that carries no information.</summary>
    private static (double[][] Values, bool[] ReachedB) Shots(int count, double a0, double a1, int seed)
    {
        var random = new Random(seed);
        var values = new double[count][];
        var outcomes = new bool[count];
        for (int i = 0; i < count; i++)
        {
            double nMax = random.NextDouble() * 200, noise = random.NextDouble();
            double pB = 0.5 * (1 + Math.Tanh(a0 + a1 * nMax));
            values[i] = [nMax, noise];
            outcomes[i] = random.NextDouble() < pB;
        }
        return (values, outcomes);
    }

    [Fact]
    public void Likelihood_maximisation_recovers_the_coordinate_that_made_the_shots()
    {
        var (values, outcomes) = Shots(4000, a0: -3.0, a1: 0.03, seed: 11);
        var fit = LikelihoodReactionCoordinate.Fit(["n_max", "noise"], values, outcomes);
        Assert.InRange(fit.Coefficients[0], -3.0 - 3 * fit.StandardErrors[0], -3.0 + 3 * fit.StandardErrors[0]);
        Assert.InRange(fit.Coefficients[1], 0.03 - 3 * fit.StandardErrors[1], 0.03 + 3 * fit.StandardErrors[1]);
        Assert.InRange(fit.Coefficients[2], -3 * fit.StandardErrors[2], 3 * fit.StandardErrors[2]);
        Assert.True(fit.StandardErrors[1] < 0.005);
        // p_B = ½ where r = 0: n_max = 100.
        Assert.InRange(fit.PB([100.0, 0.5]), 0.4, 0.6);
    }

    [Fact]
    public void BIC_prefers_the_quantity_that_carries_the_information()
    {
        var (values, outcomes) = Shots(1500, a0: -3.0, a1: 0.03, seed: 5);
        var ranked = LikelihoodReactionCoordinate.Rank(["n_max", "noise"], values, outcomes, maxTerms: 2);
        Assert.Equal(3, ranked.Count);
        Assert.Equal(["n_max"], ranked[0].Quantities);
        Assert.True(ranked.Single(f => f.Quantities.SequenceEqual(["noise"])).Bic > ranked[0].Bic + 100);
    }

    [Fact]
    public void Outcomes_split_exactly_by_a_quantity_have_no_finite_coordinate()
    {
        double[][] values = [[1.0], [2.0], [3.0], [4.0]];
        var error = Assert.Throws<InvalidOperationException>(() => LikelihoodReactionCoordinate.Fit(["n_max"], values, [false, false, true, true]));
        Assert.Contains("split exactly", error.Message);
        Assert.Throws<ArgumentException>(() => LikelihoodReactionCoordinate.Fit(["n_max"], values, [true, true, true, true]));
    }

    [Fact]
    public void Ranking_leaves_out_coordinates_with_as_many_coefficients_as_shots()
    {
        // One shot to each basin: no coordinate yet (a campaign's analysis asks this after its first two shots).
        Assert.Empty(LikelihoodReactionCoordinate.Rank(["n_max"], [[1.0], [2.0]], [false, true]));
        // Three shots fit an intercept and one quantity, not two; the second quantity splits them exactly.
        var ranked = LikelihoodReactionCoordinate.Rank(["n_max", "rg"], [[1.0, 5.0], [2.0, 1.0], [3.0, 2.0]], [false, true, false], maxTerms: 2);
        Assert.Equal(["n_max"], Assert.Single(ranked).Quantities);
    }
}

/// <summary>The committor histogram of the points whose interval holds ½.</summary>
public sealed class CommittorHistogramTests
{
    [Fact]
    public void Only_points_that_may_be_transition_states_are_binned()
    {
        CommittorEstimate[] points =
        [
            CommittorEstimate.Of("a", toA: 5, toB: 5),   // 0.5
            CommittorEstimate.Of("b", toA: 6, toB: 4),   // 0.4
            CommittorEstimate.Of("c", toA: 20, toB: 0),  // committed to A: interval [0, 0.12]
            CommittorEstimate.Of("d", toA: 0, toB: 0, undecided: 10),
            CommittorEstimate.Of("e", toA: 0, toB: 10),  // 1.0: interval [0.78, 1]
        ];
        var histogram = CommittorHistogram.Of(points, bins: 5);
        Assert.Equal(2, histogram.Points);
        Assert.Equal([0, 0, 2, 0, 0], histogram.Counts);
        var all = CommittorHistogram.Of(points, bins: 5, inEnsemble: _ => true);
        Assert.Equal([1, 0, 2, 0, 1], all.Counts); // p_B = 1 falls in the last bin
    }
}
