using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class CommitmentDetectorTests
{
    /// <summary>A = liquid (n_max below 20), B = crystal (crystalline fraction above 0.5).</summary>
    private static readonly Basin Liquid = new() { Name = "A", Bounds = new Dictionary<string, BasinBound> { ["n_max"] = new(null, 20) } };
    private static readonly Basin Solid = new() { Name = "B", Bounds = new Dictionary<string, BasinBound> { ["crystalline_fraction"] = new(0.5, null) } };

    private static CommitmentDetector Detector(int consecutive = 1, bool rearm = false) =>
        new(new CommitmentOptions { Basins = [Liquid, Solid], Consecutive = consecutive, Rearm = rearm });

    [Fact]
    public void ATrajectoryCommitsToTheFirstBasinItEntersOnce()
    {
        var detector = Detector();

        // From the transition region (n_max 50–400) into B at frame 3, then (as no real run would) back to A.
        var events = Run(detector, WithFraction(0.05, 0.2, 0.4, 0.6, 0.7, 0.3, 0.01, 0.0));

        var e = Assert.Single(events);
        Assert.Equal(RunEventKinds.Commitment, e.Kind);
        Assert.Equal(3, e.Frame);
        Assert.Equal("B", e.Labels["basin"]);
        Assert.Equal(0.6, e.Values["crystalline_fraction"], 12);
        Assert.Equal("committed to B at frame 3", e.Message);
        Assert.Equal("B", detector.CommittedTo);
    }

    [Fact]
    public void AFrameOnABoundIsOutsideTheBasin()
    {
        // n_max exactly 20 is not inside A (n_max < 20); fraction exactly 0.5 is not inside B (> 0.5).
        var onBounds = new[] { Crystal(0, 20), Crystal(1, 500), Crystal(2, 20), Crystal(3, 500) };
        Assert.Empty(Run(Detector(), onBounds));

        var justInside = Run(Detector(), [Crystal(0, 20), Crystal(1, 19)]);
        Assert.Equal([1L], FramesOf(justInside));
        Assert.Equal("A", justInside[0].Labels["basin"]);
    }

    [Fact]
    public void RequiringFramesInsideIgnoresABriefVisit()
    {
        var events = Run(Detector(consecutive: 3), WithFraction(0.3, 0.6, 0.4, 0.6, 0.7, 0.4, 0.6, 0.7, 0.8));

        var e = Assert.Single(events);
        Assert.Equal(6, e.Frame);
    }

    [Fact]
    public void WithRearmEveryNewEntryFires()
    {
        var events = Run(Detector(rearm: true), WithFraction(0.3, 0.6, 0.7, 0.4, 0.45, 0.6, 0.01, 0.6));

        Assert.Equal([1L, 5L, 6L, 7L], FramesOf(events));
        Assert.Equal(["B", "B", "A", "B"], events.Select(e => e.Labels["basin"]));
    }

    [Fact]
    public void OnAFrameInsideTwoBasinsTheFirstListedWinsAndTheRunIsCommittedOnce()
    {
        var big = new Basin { Name = "big", Bounds = new Dictionary<string, BasinBound> { ["n_max"] = new(300, null) } };
        var detector = new CommitmentDetector(new CommitmentOptions { Basins = [Solid, big] });

        var events = Run(detector, WithFraction(0.2, 0.6, 0.7));

        var e = Assert.Single(events);
        Assert.Equal("B", e.Labels["basin"]);
        Assert.Equal(1, e.Frame);
    }

    [Fact]
    public void AQuantityTheSummaryLacksIsNotInside()
    {
        var ordered = new Basin { Name = "ordered", Bounds = new Dictionary<string, BasinBound> { ["mean_q6"] = new(0.4, null) } };
        var detector = new CommitmentDetector(new CommitmentOptions { Basins = [ordered] });

        var events = Run(detector, [Frame(0), Frame(1) with { MeanQ6 = 0.3 }, Frame(2) with { MeanQ6 = 0.45 }]);

        Assert.Equal([2L], FramesOf(events));
    }

    [Fact]
    public void BasinsAreCheckedWhenTheDetectorIsBuilt()
    {
        Basin Named(string name, string quantity, double? lower, double? upper) =>
            new() { Name = name, Bounds = new Dictionary<string, BasinBound> { [quantity] = new(lower, upper) } };
        string Refusal(params Basin[] basins) =>
            Assert.Throws<ArgumentException>(() => new CommitmentDetector(new CommitmentOptions { Basins = basins })).Message;

        Assert.StartsWith("basin 'X', nmax: unknown quantity 'nmax' (known: n_max, ", Refusal(Named("X", "nmax", null, 1)));
        Assert.Equal("basin 'X', n_max: lower bound 30 must be below upper bound 20, or nothing is inside", Refusal(Named("X", "n_max", 30, 20)));
        Assert.Equal("basin 'X', n_max: has neither a lower nor an upper bound", Refusal(Named("X", "n_max", null, null)));
        Assert.Equal("basin 'A' is defined twice", Refusal(Liquid, Liquid));
        Assert.Equal("basin 'E' has no bounds: every frame would be inside it",
            Refusal(new Basin { Name = "E", Bounds = new Dictionary<string, BasinBound>() }));
    }
}
