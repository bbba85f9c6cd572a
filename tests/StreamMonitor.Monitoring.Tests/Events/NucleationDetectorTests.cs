using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class NucleationDetectorTests
{
    [Fact]
    public void ALiquidThatCrystallizesFiresAtTheFirstFrameOfTheCrossing()
    {
        // First n_max 10: threshold max(100, 10 + 100) = 110; frames 5, 6, 7 are at or above it.
        var events = Run(new NucleationDetector(), WithNMax(10, 14, 25, 40, 90, 115, 160, 240, 400, 800));

        var e = Assert.Single(events);
        Assert.Equal(RunEventKinds.Nucleation, e.Kind);
        Assert.Equal(RunId, e.RunId);
        Assert.Equal(5, e.Frame);
        Assert.Equal(500, e.Step);
        Assert.Equal(2.5, e.Time);
        Assert.Equal(ArrivalOf(7), e.At); // decided on the third frame
        Assert.Equal(115, e.Values["n_max"]);
        Assert.Equal(110, e.Values["threshold"]);
        Assert.Equal(240, e.Values["n_max_confirmed"]);
        Assert.Contains("115", e.Message);
    }

    [Fact]
    public void ASeedSlabFiresOnceItHasGrownNotAtTheStart()
    {
        // A 1200-atom seed slab: its surface flickers by tens, then it grows.
        int[] nMax = [1200, 1170, 1230, 1260, 1190, 1280, 1250, 1310, 1350, 1420, 1600];

        var seeded = Run(new NucleationDetector(), WithNMax(nMax));
        var absoluteOnly = Run(new NucleationDetector(new NucleationOptions { Growth = null }), WithNMax(nMax));

        var e = Assert.Single(seeded);
        Assert.Equal(7, e.Frame);
        Assert.Equal(1300, e.Values["threshold"]);
        Assert.Equal(1200, e.Values["first_n_max"]);
        // Without the growth rule the slab itself passes the threshold at frame 0.
        Assert.Equal([0L], FramesOf(absoluteOnly));
    }

    [Fact]
    public void NoiseJustBelowTheThresholdDoesNotFire()
    {
        var events = Run(new NucleationDetector(), WithNMax(10, 100, 105, 109, 108, 109, 107, 109, 109, 109));

        Assert.Empty(events);
    }

    [Fact]
    public void ASpikeShorterThanTheRequiredFramesDoesNotFire()
    {
        var events = Run(new NucleationDetector(), WithNMax(10, 20, 300, 20, 200, 250, 30, 40, 150, 160, 20));

        Assert.Empty(events);
    }

    [Fact]
    public void OscillatingAroundTheThresholdInsideTheHysteresisBandFiresOnce()
    {
        // Threshold 110, re-arm below 55: swinging between 80 and 130 never re-arms.
        var events = Run(new NucleationDetector(), WithNMax(10, 120, 125, 130, 80, 120, 125, 130, 90, 115, 118, 119, 60, 130, 130, 130));

        Assert.Equal([1L], FramesOf(events));
    }

    [Fact]
    public void FallingBelowTheLowerThresholdRearms()
    {
        var events = Run(new NucleationDetector(), WithNMax(10, 120, 125, 130, 70, 50, 40, 112, 150, 200));

        Assert.Equal([1L, 7L], FramesOf(events));
    }

    [Fact]
    public void ConsecutiveOneFiresOnTheCrossingFrameItself()
    {
        var detector = new NucleationDetector(new NucleationOptions { Threshold = 50, Growth = null, Consecutive = 1 });

        var events = Run(detector, WithNMax(10, 20, 60, 70));

        var e = Assert.Single(events);
        Assert.Equal(2, e.Frame);
        Assert.Equal(ArrivalOf(2), e.At);
        Assert.Equal(50, detector.Threshold);
    }

    [Fact]
    public void ResetTakesTheNextFrameAsTheNewBaseline()
    {
        var detector = new NucleationDetector();
        Assert.Equal([2L], FramesOf(Run(detector, WithNMax(10, 20, 200, 210, 220))));

        detector.Reset();

        // Without the reset the detector would still be disarmed (n_max never fell below 55).
        var again = Run(detector, WithNMax(30, 60, 140, 150, 160));
        var e = Assert.Single(again);
        Assert.Equal(2, e.Frame);
        Assert.Equal(130, e.Values["threshold"]);
    }

    [Theory]
    [InlineData(0, 100, 3, 0.5, "threshold must be at least 1, got 0")]
    [InlineData(100, 0, 3, 0.5, "growth must be at least 1, got 0")]
    [InlineData(100, 100, 0, 0.5, "consecutive must be at least 1, got 0")]
    [InlineData(100, 100, 3, 1.0, "rearm_fraction must be between 0 and 1 (exclusive), got 1")]
    public void BadOptionsAreRefusedWithTheFieldNamed(int threshold, int growth, int consecutive, double rearm, string message)
    {
        var options = new NucleationOptions { Threshold = threshold, Growth = growth, Consecutive = consecutive, RearmFraction = rearm };

        var e = Assert.Throws<ArgumentException>(() => new NucleationDetector(options));
        Assert.Equal(message, e.Message);
    }
}
