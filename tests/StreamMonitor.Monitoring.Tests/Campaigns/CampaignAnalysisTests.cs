using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Monitoring.Tests.Campaigns;

public sealed class CampaignAnalysisTests
{
    /// <summary>A record of a finished campaign whose shots from point i reached B with a probability rising with n_max.</summary>
    private static CampaignStatus Finished(IReadOnlyList<(string Id, double NMax, int ToA, int ToB, int Undecided)> points, long maxSteps = 10_000)
    {
        var shots = new List<ShotRecord>();
        foreach (var (id, _, toA, toB, undecided) in points)
        {
            int shot = 0;
            foreach (var outcome in Enumerable.Repeat(ShotOutcome.A, toA).Concat(Enumerable.Repeat(ShotOutcome.B, toB)).Concat(Enumerable.Repeat(ShotOutcome.Undecided, undecided)))
            {
                shots.Add(new ShotRecord
                {
                    PointId = id, Shot = shot, RunId = $"c:{id}:{shot:000}", Seed = 1, Directory = "/d", Outcome = outcome,
                    StepsRun = outcome == ShotOutcome.Undecided ? maxSteps : 1000, LaunchedAt = DateTimeOffset.UtcNow, EndedAt = DateTimeOffset.UtcNow,
                });
                shot++;
            }
        }
        var definition = new CampaignDefinition
        {
            Id = "c", Rules = "{}", BasinNames = ["liquid", "crystal"], Launch = "lmp", Directory = "/d", MaxSteps = maxSteps,
            ShotsPerPoint = points.Max(p => p.ToA + p.ToB + p.Undecided),
            Points = points.Select(p => new ShootingPoint(p.Id, "/d/x.data", "data", 0, 0, 0,
                new Dictionary<string, double> { ["n_max"] = p.NMax, ["count"] = 4000, ["crystalline_fraction"] = p.NMax / 4000 + (p.Id.Length % 2) * 0.001 })).ToArray(),
        };
        return new CampaignStatus { Id = "c", Phase = CampaignPhase.Finished, Definition = definition, Shots = shots };
    }

    [Fact]
    public void Points_get_p_B_with_an_interval_and_the_coordinate_fitted_on_n_max_crosses_one_half_between_the_points_that_straddle_it()
    {
        var campaign = Finished([("p20", 20, 10, 0, 0), ("p60", 60, 8, 2, 0), ("p100", 100, 5, 5, 1), ("p140", 140, 2, 8, 0), ("p180", 180, 0, 10, 0)]);
        var analysis = CampaignAnalysis.Of(campaign, ["n_max"]);

        var middle = analysis.Points.Single(p => p.PointId == "p100");
        Assert.Equal(0.5, middle.PB);
        Assert.Equal(1, middle.Undecided);
        Assert.True(middle.Lower < 0.5 && middle.Upper > 0.5);
        Assert.True(middle.MayBeTransitionState);
        Assert.Equal(0, analysis.Points.Single(p => p.PointId == "p20").PB);
        Assert.False(analysis.Points.Single(p => p.PointId == "p180").MayBeTransitionState);

        var fit = Assert.Single(analysis.Coordinates);
        Assert.Equal(["n_max"], fit.Quantities);
        Assert.Equal(50, fit.Shots);
        Assert.True(fit.Coefficients[1] > 0, "p_B rises with n_max");
        double crossing = -fit.Coefficients[0] / fit.Coefficients[1];
        Assert.InRange(crossing, 80, 120);
        Assert.Equal(analysis.Points.Count(p => p.MayBeTransitionState), analysis.Histogram.Points);
    }

    [Fact]
    public void Savings_count_the_steps_the_shots_ran_against_their_full_length()
    {
        var counts = Finished([("a", 10, 3, 1, 0), ("b", 200, 0, 3, 1)], maxSteps: 10_000).Counts;
        Assert.Equal(8, counts.Concluded);
        Assert.Equal(7 * 1000 + 10_000, counts.StepsRun);
        Assert.Equal(8 * 10_000, counts.StepsAtFullLength);
        Assert.Equal(80_000.0 / 17_000, counts.Saving);
    }

    [Fact]
    public void Without_both_outcomes_there_is_no_coordinate_and_the_note_says_why()
    {
        var analysis = CampaignAnalysis.Of(Finished([("a", 10, 3, 0, 0), ("b", 20, 4, 0, 0)]));
        Assert.Empty(analysis.Coordinates);
        Assert.Contains("each basin", analysis.CoordinateNote);
        Assert.DoesNotContain("count", analysis.Candidates); // the atom count does not vary and is no coordinate
    }

    [Fact]
    public void Only_each_shots_latest_attempt_counts()
    {
        var campaign = Finished([("a", 10, 1, 1, 0)]);
        var lost = campaign.Shots[0] with { Outcome = ShotOutcome.Lost, Attempt = 1, StepsRun = 300 };
        campaign = campaign with { Shots = [lost, campaign.Shots[0] with { Attempt = 2 }, campaign.Shots[1]] };
        Assert.Equal(1, campaign.Counts.A);
        Assert.Equal(1, campaign.Counts.LostAttempts);
        Assert.Equal(2, campaign.Counts.Concluded);
        Assert.Equal(1, CampaignAnalysis.Of(campaign).Points[0].ToA);
    }

    [Fact]
    public void An_unknown_quantity_is_refused_naming_the_point_and_what_it_has()
    {
        var error = Assert.Throws<ArgumentException>(() => CampaignAnalysis.Of(Finished([("a", 10, 1, 1, 0)]), ["rg"]));
        Assert.Contains("'rg'", error.Message);
        Assert.Contains("n_max", error.Message);
    }
}
