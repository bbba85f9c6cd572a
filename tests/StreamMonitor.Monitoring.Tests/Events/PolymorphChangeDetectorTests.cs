using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class PolymorphChangeDetectorTests
{
    [Fact]
    public void ANewFormThatStaysDominantFiresAtItsFirstFrame()
    {
        var detector = new PolymorphChangeDetector();

        var events = Run(detector, WithDominant("fcc", "fcc", "fcc", "fcc", "hcp", "hcp", "hcp", "hcp"));

        var e = Assert.Single(events);
        Assert.Equal(RunEventKinds.PolymorphChange, e.Kind);
        Assert.Equal(4, e.Frame);
        Assert.Equal(ArrivalOf(6), e.At);
        Assert.Equal("fcc", e.Labels["previous"]);
        Assert.Equal("hcp", e.Labels["new"]);
        Assert.Equal(40, e.Values["previous_count"]);
        Assert.Equal(80, e.Values["new_count"]);
        Assert.Equal("hcp", detector.Current);
    }

    [Fact]
    public void TheFirstPolymorphIsNoChange()
    {
        var detector = new PolymorphChangeDetector();

        Assert.Empty(Run(detector, WithDominant("hcp", "hcp", "hcp", "hcp")));
        Assert.Equal("hcp", detector.Current);
    }

    [Fact]
    public void ALeadThatChangesHandsEveryFrameOrForTwoFramesDoesNotFire()
    {
        var events = Run(new PolymorphChangeDetector(),
            WithDominant("fcc", "fcc", "fcc", "hcp", "fcc", "hcp", "fcc", "hcp", "hcp", "fcc", "fcc", "hcp", "fcc"));

        Assert.Empty(events);
    }

    [Fact]
    public void ChangingBackIsAChangeOfItsOwn()
    {
        var events = Run(new PolymorphChangeDetector(),
            WithDominant("fcc", "fcc", "fcc", "hcp", "hcp", "hcp", "fcc", "hcp", "fcc", "fcc", "fcc"));

        Assert.Equal([3L, 8L], FramesOf(events));
        Assert.Equal(("hcp", "fcc"), (events[1].Labels["previous"], events[1].Labels["new"]));
    }

    [Fact]
    public void SmallCrystalsSayNothingAboutThePolymorph()
    {
        // 15 hcp vs 10 fcc is below the 20-row minimum: those frames break the streak and settle nothing.
        var small = Crystal(0, 10, 15);
        var frames = new[]
        {
            Crystal(0, 80, 40), Crystal(1, 80, 40), Crystal(2, 80, 40),
            Crystal(3, 40, 80), Crystal(4, 40, 80), small with { Frame = 5 }, Crystal(6, 40, 80), Crystal(7, 40, 80),
            small with { Frame = 8 }, small with { Frame = 9 }, small with { Frame = 10 },
        };

        Assert.Empty(Run(new PolymorphChangeDetector(), frames));
    }

    [Fact]
    public void ZeroConsecutiveFramesIsRefused() =>
        Assert.Equal("consecutive must be at least 1, got 0",
            Assert.Throws<ArgumentException>(() => new PolymorphChangeDetector(new PolymorphChangeOptions { Consecutive = 0 })).Message);
}
