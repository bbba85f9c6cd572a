using StreamMonitor.Grains.History;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Tests.History;

public sealed class SummaryDownsamplerTests
{
    [Fact]
    public void A_single_frame_spike_of_n_max_and_a_dip_of_mean_q6_survive_in_a_long_series_within_the_budget()
    {
        const int frames = 100_000, nMaxSpike = 61_234, q6Dip = 7_777;
        var summaries = Enumerable.Range(0, frames).Select(f => new RunUpdate
        {
            RunId = "long",
            Sequence = f + 1,
            RecordedAt = SyntheticUpdates.Start.AddSeconds(f),
            Summary = SyntheticUpdates.Summary("long", f, nMax: f == nMaxSpike ? 900 : null, meanQ6: f == q6Dip ? 0.05 : null),
        }).ToArray();

        var selected = SummaryDownsampler.Select(summaries, 2000);

        Assert.InRange(selected.Count, 1000, 2000); // the budget, well used
        Assert.Contains(selected, u => u.Summary!.Frame == nMaxSpike);
        Assert.Contains(selected, u => u.Summary!.Frame == q6Dip);
        Assert.Equal(selected.Select(u => u.Sequence).Order(), selected.Select(u => u.Sequence));
        Assert.Equal(selected.Count, selected.Select(u => u.Sequence).Distinct().Count());
        Assert.Equal(1, selected[0].Sequence);
        Assert.Equal(frames, selected[^1].Sequence);
        // Each bucket's extremes are kept, so the overall ones are too.
        Assert.Equal(summaries.Max(u => u.Summary!.LatencyMs), selected.Max(u => u.Summary!.LatencyMs));
        Assert.Equal(summaries.Min(u => u.Summary!.CountOf("fcc")), selected.Min(u => u.Summary!.CountOf("fcc")));
    }

    [Fact]
    public void Fewer_summaries_than_the_budget_are_all_kept_and_a_tiny_budget_is_still_kept()
    {
        var summaries = SyntheticUpdates.Range("short", 1, 49);
        Assert.Same(summaries, SummaryDownsampler.Select(summaries, 49));

        var three = SummaryDownsampler.Select(summaries, 3);
        Assert.InRange(three.Count, 1, 3);
        Assert.Contains(three, u => u.Summary!.NMax == summaries.Max(s => s.Summary!.NMax));
    }
}
