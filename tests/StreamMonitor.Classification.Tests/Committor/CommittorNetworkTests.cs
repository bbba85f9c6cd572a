using System.Text.Json;
using StreamMonitor.Analysis.Committor;
using StreamMonitor.Classification.Committor;

namespace StreamMonitor.Classification.Tests.Committor;

/// <summary>
/// The learnt committor on shots drawn from known committors over (n_max, a second quantity): as likely as the linear
/// Peters–Trout coordinate where the truth is linear, clearly more likely where it is not, following the quantity that
/// decides the outcome, choosing the next point where p_B ≈ ½, retraining from its weights as shots come in, and
/// refusing data it cannot learn from.
/// </summary>
public sealed class CommittorNetworkTests
{
    private static readonly string[] Inputs = ["n_max", "other"];

    /// <summary>The committor that made the shots of <see cref="Linear"/>: ½ at n_max = 100, independent of the other input.</summary>
    private static double Linear(double nMax, double other) => 0.5 * (1 + Math.Tanh(0.03 * (nMax - 100)));

    /// <summary>
    /// Points with n_max uniform in [0, 200] and the other input uniform in [0, 1], and <paramref name="shots"/> shots
    /// from each, reaching B with probability <paramref name="pB"/>.
    /// </summary>
    private static (double[] x, int toA, int toB)[] Shots(Func<double, double, double> pB, int points, int shots, int seed)
    {
        var random = new Random(seed);
        var data = new (double[] x, int toA, int toB)[points];
        for (int p = 0; p < points; p++)
        {
            double nMax = 200 * random.NextDouble(), other = random.NextDouble(), probability = pB(nMax, other);
            int toB = Enumerable.Range(0, shots).Count(_ => random.NextDouble() < probability);
            data[p] = ([nMax, other], shots - toB, toB);
        }
        return data;
    }

    [Fact]
    public void Where_the_committor_is_linear_the_network_is_as_likely_as_the_linear_coordinate()
    {
        var data = Shots(Linear, points: 30, shots: 10, seed: 3);
        var model = CommittorTrainer.Train(Inputs, data);

        // the linear coordinate fitted here, shot by shot, independently of the model's own comparison
        var values = data.SelectMany(d => Enumerable.Repeat(d.x, d.toA + d.toB)).ToArray();
        var reachedB = data.SelectMany(d => Enumerable.Range(0, d.toA + d.toB).Select(k => k < d.toB)).ToArray();
        var linear = LikelihoodReactionCoordinate.Fit(Inputs, values, reachedB);

        Assert.Equal(300, model.NShots);
        Assert.Equal(30, model.NPoints);
        Assert.Equal(linear.LogLikelihood, model.LinearFit!.LogLikelihood, 9);
        Assert.Equal(model.LogLikelihood, model.LogLikelihoodOf(data), 9);
        Assert.True(model.LogLikelihood >= linear.LogLikelihood - 1.0, $"network {model.LogLikelihood:F2} vs linear {linear.LogLikelihood:F2}");
        Assert.Equal(model.PB([100.0, 0.5]), 0.5 * (1 + Math.Tanh(model.Coordinate([100.0, 0.5]))), 12);
        Assert.InRange(model.PB([100.0, 0.5]), 0.3, 0.7);
        Assert.True(model.PB([20.0, 0.5]) < 0.2);
        Assert.True(model.PB([180.0, 0.5]) > 0.8);
    }

    public static TheoryData<string> NonLinear => ["product", "bump"];

    /// <summary>Committors no linear coordinate can follow: a product of the two inputs, and a ridge in the second input.</summary>
    private static Func<double, double, double> Committor(string kind) => kind switch
    {
        "product" => (nMax, other) => 0.5 * (1 + Math.Tanh(0.06 * (nMax - 100) * (other - 0.5) * 2)),
        "bump" => (nMax, other) => 0.5 * (1 + Math.Tanh(0.04 * (nMax - 100) + 3 - 40 * (other - 0.5) * (other - 0.5))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(NonLinear))]
    public void Where_no_linear_coordinate_fits_the_network_is_clearly_more_likely(string kind)
    {
        var data = Shots(Committor(kind), points: 60, shots: 10, seed: 7);
        var model = CommittorTrainer.Train(Inputs, data);
        Assert.NotNull(model.LinearFit);
        Assert.True(model.LogLikelihood > model.LinearFit.LogLikelihood + 30,
            $"network {model.LogLikelihood:F2} vs linear {model.LinearFit.LogLikelihood:F2}");
    }

    [Fact]
    public void The_input_that_decides_the_outcome_is_the_most_sensitive()
    {
        var model = CommittorTrainer.Train(Inputs, Shots(Linear, points: 30, shots: 10, seed: 5));
        Assert.Equal(["n_max", "other"], model.Sensitivities.Select(s => s.Input));
        Assert.Equal(1.0, model.Sensitivities.Sum(s => s.Weight), 12);
        Assert.True(model.Sensitivities[0].Weight > 0.7, $"n_max weighs {model.Sensitivities[0].Weight:F3}");
    }

    [Fact]
    public void The_next_point_is_the_candidate_nearest_the_true_half()
    {
        var model = CommittorTrainer.Train(Inputs, Shots(Linear, points: 30, shots: 10, seed: 11));
        var random = new Random(2);
        var candidates = Enumerable.Range(0, 21).Select(k => ($"c{k:D2}", new[] { 10.0 * k, random.NextDouble() })).ToArray();

        var next = model.Next(candidates)!;
        Assert.Contains(next.Id, new[] { "c09", "c10", "c11" }); // n_max 90, 100 or 110: the truth's ½ is at 100
        Assert.Equal(model.PB(candidates.Single(c => c.Item1 == next.Id).Item2), next.PB, 12);
        Assert.True(candidates.All(c => Math.Abs(model.PB(c.Item2) - 0.5) >= Math.Abs(next.PB - 0.5)));

        var second = model.Next(candidates, new HashSet<string> { next.Id })!;
        Assert.NotEqual(next.Id, second.Id);
        Assert.Null(model.Next(candidates, candidates.Select(c => c.Item1).ToHashSet()));

        // equal predictions: the smaller id
        Assert.Equal("a", model.Next([("b", [100.0, 0.5]), ("a", [100.0, 0.5])])!.Id);
    }

    [Fact]
    public void Eight_points_of_ten_shots_give_a_committor_that_holds_for_shots_it_has_not_seen()
    {
        var model = CommittorTrainer.Train(Inputs, Shots(Linear, points: 8, shots: 10, seed: 3));
        var unseen = Shots(Linear, points: 2000, shots: 1, seed: 41);
        double PerShot(Func<double[], double> pB) => unseen.Average(d => Math.Log(d.toB == 1 ? pB(d.x) : 1 - pB(d.x))); // one shot per point
        double learnt = PerShot(x => model.PB(x)), linear = PerShot(x => model.LinearFit!.PB(x)), truth = PerShot(x => Linear(x[0], x[1]));
        // no more overfitted than a three-coefficient logistic fitted to the same 80 shots, and far better than an even guess
        Assert.True(learnt >= linear - 0.03, $"learnt {learnt:F3} vs linear {linear:F3} nats per unseen shot (truth {truth:F3})");
        Assert.True(learnt > Math.Log(0.5) + 0.3, $"learnt {learnt:F3} nats per unseen shot");
    }

    [Fact]
    public void The_same_seed_gives_the_same_model_and_another_seed_another()
    {
        var data = Shots(Linear, points: 8, shots: 10, seed: 13);
        var first = CommittorTrainer.Train(Inputs, data, new CommittorTrainingOptions { Seed = 4 });
        var again = CommittorTrainer.Train(Inputs, data, new CommittorTrainingOptions { Seed = 4 });
        var other = CommittorTrainer.Train(Inputs, data, new CommittorTrainingOptions { Seed = 5 });
        Assert.Equal(first.Network.Layers.SelectMany(l => l.Weights), again.Network.Layers.SelectMany(l => l.Weights));
        Assert.NotEqual(first.Network.Layers.SelectMany(l => l.Weights), other.Network.Layers.SelectMany(l => l.Weights));
    }

    [Fact]
    public void An_update_with_more_shots_starts_from_the_previous_weights_and_fits_the_larger_data_at_least_as_well()
    {
        var early = Shots(Linear, points: 8, shots: 10, seed: 17);
        var later = early.Concat(Shots(Linear, points: 24, shots: 10, seed: 19)).ToArray();
        var previous = CommittorTrainer.Train(Inputs, early);
        var updated = CommittorTrainer.Update(previous, later);

        Assert.Equal(previous.Network.InputTranslation, updated.Network.InputTranslation); // the scaling its weights are in
        Assert.NotEqual(previous.Network.Layers.SelectMany(l => l.Weights), updated.Network.Layers.SelectMany(l => l.Weights));
        Assert.Equal(320, updated.NShots);
        Assert.True(updated.LogLikelihood >= previous.LogLikelihoodOf(later),
            $"updated {updated.LogLikelihood:F3} vs previous {previous.LogLikelihoodOf(later):F3} on the enlarged data");

        var error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Update(previous, later, new CommittorTrainingOptions { Hidden = [8] }));
        Assert.Contains("hidden widths", error.Message);
    }

    [Fact]
    public void A_constant_input_is_ignored_and_reported()
    {
        var data = Shots(Linear, points: 12, shots: 10, seed: 23).Select(d => (new[] { d.x[0], 4000.0, d.x[1] }, d.toA, d.toB)).ToArray();
        var model = CommittorTrainer.Train(["n_max", "count", "other"], data);
        Assert.Equal(["count"], model.IgnoredInputs);
        Assert.DoesNotContain(model.Sensitivities, s => s.Input == "count");
        Assert.Equal(model.PB([100.0, 4000.0, 0.5]), model.PB([100.0, 5000.0, 0.5]), 15);
        Assert.Equal(["n_max", "other"], model.LinearFit!.Quantities);
    }

    [Fact]
    public void Data_it_cannot_learn_from_is_refused_by_name()
    {
        var data = Shots(Linear, points: 6, shots: 10, seed: 29);

        var nan = data.Select((d, p) => p == 3 ? (new[] { d.x[0], double.NaN }, d.toA, d.toB) : d).ToArray();
        var error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Train(Inputs, nan));
        Assert.Contains("input 'other' of point 3 is NaN", error.Message);

        var onePoint = data.Select((d, p) => p == 0 ? d : (d.x, 0, 0)).ToArray();
        error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Train(Inputs, onePoint));
        Assert.Contains("at least 2 points, got 1 of 6", error.Message);

        var allA = data.Select(d => (d.x, 10, 0)).ToArray();
        error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Train(Inputs, allA));
        Assert.Contains("all 60 decided shots reached A", error.Message);

        var constant = data.Select(d => (new[] { 50.0, 0.5 }, d.toA, d.toB)).ToArray();
        error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Train(Inputs, constant));
        Assert.Contains("same value at all 6 points", error.Message);

        error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Train(["n_max"], data));
        Assert.Contains("point 0 has 2 values for 1 inputs", error.Message);
        error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Train(["n_max", "n_max"], data));
        Assert.Contains("'n_max' is named twice", error.Message);
        error = Assert.Throws<ArgumentException>(() => CommittorTrainer.Train(Inputs, data, new CommittorTrainingOptions { Epochs = 0 }));
        Assert.Contains("epochs", error.Message);
    }

    [Fact]
    public void Inputs_are_picked_from_a_points_values_by_name()
    {
        var values = new Dictionary<string, double> { ["n_max"] = 57, ["count"] = 4000, ["other"] = 0.3 };
        Assert.Equal([57.0, 0.3], CommittorInputs.Select(Inputs, values, "f000040"));
        values.Remove("other");
        var error = Assert.Throws<ArgumentException>(() => CommittorInputs.Select(Inputs, values, "f000040"));
        Assert.Contains("point 'f000040' has no value for input 'other'", error.Message);
    }

    [Fact]
    public void The_summary_carries_the_fields_the_json_contract_names()
    {
        var data = Shots(Linear, points: 8, shots: 10, seed: 31);
        var model = CommittorTrainer.Train(Inputs, data);
        var summary = model.Summary(data.Select((d, p) => ($"p{p}", d.x)));
        Assert.Equal(8, summary.Predictions!.Count);
        Assert.Equal(model.PB(data[2].x), summary.Predictions[2].PB, 15);

        var json = JsonSerializer.SerializeToElement(summary, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        Assert.Equal(80, json.GetProperty("n_shots").GetInt32());
        Assert.Equal(model.LogLikelihood, json.GetProperty("log_likelihood").GetDouble(), 12);
        Assert.Equal(model.LinearFit!.LogLikelihood, json.GetProperty("linear_log_likelihood").GetDouble(), 12);
        Assert.Equal("n_max", json.GetProperty("sensitivities")[0].GetProperty("input").GetString());
        Assert.Equal(0, json.GetProperty("ignored_inputs").GetArrayLength());
        Assert.Equal("p0", json.GetProperty("predictions")[0].GetProperty("id").GetString());
        Assert.True(json.GetProperty("predictions")[0].TryGetProperty("p_b", out _));
    }
}
