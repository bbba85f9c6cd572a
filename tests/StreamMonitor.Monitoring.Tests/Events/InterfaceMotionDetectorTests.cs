using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class InterfaceMotionDetectorTests
{
    private static readonly InterfaceMotionOptions Box20 = new() { Bounds = (0, 20) }; // margin 1, re-arm 2 in

    [Fact]
    public void AFastFrontFiresAtTheFirstFastFrameWhicheverWayItMoves()
    {
        var events = Run(new InterfaceMotionDetector(), WithVelocity(0.1, 0.2, -1.5, -2.0, -1.8, -1.9));

        var e = Assert.Single(events);
        Assert.Equal(RunEventKinds.InterfaceMotion, e.Kind);
        Assert.Equal(2, e.Frame);
        Assert.Equal(InterfaceMotionDetector.SpeedTrigger, e.Labels["trigger"]);
        Assert.Equal(-1.5, e.Values["interface_velocity"]);
    }

    [Fact]
    public void SlowGrowthAndShortBurstsDoNotFire()
    {
        var events = Run(new InterfaceMotionDetector(), WithVelocity(0.1, 0.99, 0.95, 1.5, 1.2, 0.3, 2.0, null, 2.0, 2.0, 0.9));

        Assert.Empty(events);
    }

    [Fact]
    public void SpeedOscillatingAboveTheRearmLevelFiresOnceThenRearmsWhenSlow()
    {
        var events = Run(new InterfaceMotionDetector(), WithVelocity(1.1, 1.2, 1.0, 0.8, 1.2, 1.3, 1.1, 0.6, 0.4, 1.1, 1.2, 1.3));

        Assert.Equal([0L, 9L], FramesOf(events));
    }

    [Fact]
    public void AFrontReachingTheBoxEdgeFiresWithTheSide()
    {
        var events = Run(new InterfaceMotionDetector(Box20), WithPosition(10, 14, 17, 18.5, 19.2, 19.5, 19.9, 19.6));

        var e = Assert.Single(events);
        Assert.Equal(4, e.Frame);
        Assert.Equal(InterfaceMotionDetector.BoundaryTrigger, e.Labels["trigger"]);
        Assert.Equal("upper", e.Labels["side"]);
        Assert.Equal(20, e.Values["bound"]);
        Assert.Equal(1, e.Values["margin"], 12);
    }

    [Fact]
    public void WobblingAtTheEdgeFiresOnceAndComingBackInRearms()
    {
        // At the upper edge, wobbling 18.5–19.5 (re-arm needs ≤ 18), then back in, then to the lower edge.
        var events = Run(new InterfaceMotionDetector(Box20),
            WithPosition(19.1, 19.2, 19.3, 18.5, 19.1, 19.4, 19.2, 18.9, 10, 5, 0.9, 0.5, 0.2));

        Assert.Equal([0L, 10L], FramesOf(events));
        Assert.Equal("lower", events[1].Labels["side"]);
    }

    [Fact]
    public void ABoundIsOnlyWatchedWhenGiven()
    {
        var events = Run(new InterfaceMotionDetector(), WithPosition(0, 0, 0, 0));

        Assert.Empty(events);
    }

    [Fact]
    public void BadBoundsAreRefused() =>
        Assert.Equal("bounds must be two finite numbers, lower below upper, got [5, 5]",
            Assert.Throws<ArgumentException>(() => new InterfaceMotionDetector(new InterfaceMotionOptions { Bounds = (5, 5) })).Message);
}
