using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class StallDetectorTests
{
    private static readonly DateTimeOffset T0 = Start;

    /// <summary>Frames 0, 1, ... arriving at these offsets (seconds) from <see cref="T0"/>.</summary>
    private static StallDetector Arrived(params double[] seconds)
    {
        var detector = new StallDetector(RunId);
        for (int i = 0; i < seconds.Length; i++) detector.Observe(Frame(i), T0.AddSeconds(seconds[i]));
        return detector;
    }

    [Fact]
    public void NothingStallsBeforeTheFirstFrame() =>
        Assert.Null(new StallDetector(RunId).Check(T0.AddHours(1)));

    [Fact]
    public void UntilThePaceIsKnownTheInitialTimeoutApplies()
    {
        var detector = Arrived(0, 4); // one interval: fewer than the three needed

        Assert.Equal(TimeSpan.FromSeconds(60), detector.Timeout);
        Assert.Null(detector.Check(T0.AddSeconds(63.9)));
        Assert.NotNull(detector.Check(T0.AddSeconds(64)));
    }

    [Fact]
    public void OnceThePaceIsKnownAStallIsFiveMedianIntervalsOnceUntilTheNextFrame()
    {
        var detector = Arrived(0, 4, 8, 12, 16); // every 4 s: timeout 20 s

        Assert.Equal(TimeSpan.FromSeconds(20), detector.Timeout);
        Assert.Null(detector.Check(T0.AddSeconds(35.9)));
        var stall = detector.Check(T0.AddSeconds(36));
        Assert.NotNull(stall);
        Assert.Equal(RunEventKinds.Stall, stall.Kind);
        Assert.Equal(RunId, stall.RunId);
        Assert.Equal(4, stall.Frame);
        Assert.Equal(T0.AddSeconds(36), stall.At);
        Assert.Equal(20, stall.Values["silence_s"]);
        Assert.Equal(20, stall.Values["timeout_s"]);
        Assert.Equal(4, stall.Values["median_interval_s"]);

        // Once per stall, however long it lasts...
        Assert.Null(detector.Check(T0.AddSeconds(60)));
        Assert.Null(detector.Check(T0.AddSeconds(600)));

        // ...and the next frame re-arms it (the 584 s gap is one interval among five: the median stays 4 s).
        detector.Observe(Frame(5), T0.AddSeconds(600));
        Assert.Null(detector.Check(T0.AddSeconds(619)));
        Assert.Equal(5, detector.Check(T0.AddSeconds(620))!.Frame);
    }

    [Fact]
    public void FastArrivalsStillGetTheMinimumTimeout()
    {
        // A reader catching up on a written file: frames 0.1 s apart would otherwise time out after 0.5 s.
        var detector = Arrived(0, 0.1, 0.2, 0.3, 0.4, 0.5);

        Assert.Equal(TimeSpan.FromSeconds(10), detector.Timeout);
        Assert.Null(detector.Check(T0.AddSeconds(10.4)));
        Assert.NotNull(detector.Check(T0.AddSeconds(10.5)));
    }

    [Fact]
    public void OneSlowFrameDoesNotSetThePace()
    {
        var detector = Arrived(0, 4, 8, 48, 52, 56); // intervals 4, 4, 40, 4, 4

        Assert.Equal(TimeSpan.FromSeconds(20), detector.Timeout);
    }

    [Fact]
    public void ThePaceFollowsTheWindow()
    {
        var detector = new StallDetector(RunId, new StallOptions { Window = 3, MinimumIntervals = 3 });
        double[] seconds = [0, 4, 8, 12, 22, 32, 42]; // intervals 4, 4, 4, then 10, 10, 10
        for (int i = 0; i < seconds.Length; i++) detector.Observe(Frame(i), T0.AddSeconds(seconds[i]));

        Assert.Equal(TimeSpan.FromSeconds(50), detector.Timeout);
    }

    [Fact]
    public void OptionsThatCannotWorkAreRefused()
    {
        Assert.StartsWith("multiple must be at least 1",
            Assert.Throws<ArgumentException>(() => new StallDetector(RunId, new StallOptions { Multiple = 0.5 })).Message);
        Assert.Equal("minimum_seconds must be positive, got 0 s",
            Assert.Throws<ArgumentException>(() => new StallDetector(RunId, new StallOptions { Minimum = TimeSpan.Zero })).Message);
        Assert.Equal("window (2) must hold at least minimum_intervals (3)",
            Assert.Throws<ArgumentException>(() => new StallDetector(RunId, new StallOptions { Window = 2 })).Message);
    }
}
