using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class MeltingDetectorTests
{
    [Fact]
    public void ACrystalLosingAThirdFiresAtTheFirstFrameBelowTheLevel()
    {
        // Peak 0.9: the level is 0.7 · 0.9 = 0.63; frames 4, 5, 6 are below it.
        var events = Run(new MeltingDetector(), WithFraction(0.85, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3));

        var e = Assert.Single(events);
        Assert.Equal(RunEventKinds.Melting, e.Kind);
        Assert.Equal(4, e.Frame);
        Assert.Equal(ArrivalOf(6), e.At);
        Assert.Equal(0.6, e.Values["crystalline_fraction"], 12);
        Assert.Equal(0.63, e.Values["level"], 12);
        Assert.Equal(0.9, e.Values["peak_fraction"], 12);
        Assert.Equal(1, e.Values["peak_frame"]);
        Assert.Equal(MeltingModes.Bulk, e.Labels["mode"]);
    }

    [Fact]
    public void ARunThatStartsLiquidHasNothingToMelt()
    {
        // Below the absolute floor (0.05) throughout, but never crystalline enough (0.1) to arm.
        var events = Run(new MeltingDetector(), WithFraction(0.01, 0.04, 0.08, 0.02, 0.0, 0.0, 0.0, 0.09, 0.01, 0.0, 0.0));

        Assert.Empty(events);
    }

    [Fact]
    public void NoiseAboveTheLevelAndShortDipsDoNotFire()
    {
        // Level 0.63: 0.64 is noise above it; the dips below last one and two frames.
        var events = Run(new MeltingDetector(), WithFraction(0.9, 0.64, 0.7, 0.64, 0.6, 0.8, 0.6, 0.62, 0.85, 0.64, 0.9));

        Assert.Empty(events);
    }

    [Fact]
    public void OscillatingAroundTheLevelInsideTheBandFiresOnce()
    {
        // Fires at level 0.63, re-arms at 0.68: swinging between 0.58 and 0.67 stays disarmed.
        var events = Run(new MeltingDetector(), WithFraction(0.9, 0.6, 0.61, 0.6, 0.67, 0.58, 0.6, 0.62, 0.66, 0.6, 0.59, 0.6));

        Assert.Equal([1L], FramesOf(events));
    }

    [Fact]
    public void RecoveringPastTheBandRearms()
    {
        var events = Run(new MeltingDetector(), WithFraction(0.9, 0.6, 0.6, 0.6, 0.7, 0.75, 0.5, 0.5, 0.5));

        var rearmed = events[1];
        Assert.Equal([1L, 6L], FramesOf(events));
        Assert.Equal(0.68, events[0].Values["rearm_at"], 12);
        Assert.Equal(0.9, rearmed.Values["peak_fraction"], 12);
    }

    [Fact]
    public void TheAbsoluteFloorAloneFiresBelowIt()
    {
        var detector = new MeltingDetector(new MeltingOptions { Drop = null, Below = 0.2, ArmAbove = 0.25 });

        // The relative rule would have fired at frame 2 (0.3 → 0.2 is a third); the floor waits for 0.19.
        var events = Run(detector, WithFraction(0.3, 0.25, 0.2, 0.2, 0.19, 0.15, 0.1));

        var e = Assert.Single(events);
        Assert.Equal(4, e.Frame);
        Assert.Equal(0.2, e.Values["level"], 12);
    }

    [Fact]
    public void AMeltingSurfaceAroundAnIntactCoreIsSurfaceMelting()
    {
        // Peak 800 crystalline (300 surface, 500 core); then the surface goes and the core holds.
        var frames = new[]
        {
            Crystal(0, 800, surface: 300, core: 500),
            Crystal(1, 520, surface: 40, core: 480),
            Crystal(2, 500, surface: 30, core: 470),
            Crystal(3, 490, surface: 25, core: 465),
        };

        var e = Assert.Single(Run(new MeltingDetector(), frames));

        Assert.Equal(1, e.Frame);
        Assert.Equal(MeltingModes.Surface, e.Labels["mode"]);
        Assert.Equal(260.0 / 300, e.Values["surface_loss"], 12);
        Assert.Equal(20.0 / 500, e.Values["core_loss"], 12);
    }

    [Fact]
    public void ACoreMeltingAsFastAsTheSurfaceIsCoreMelting()
    {
        var frames = new[]
        {
            Crystal(0, 800, surface: 300, core: 500),
            Crystal(1, 500, surface: 200, core: 300),
            Crystal(2, 480, surface: 190, core: 290),
            Crystal(3, 470, surface: 185, core: 285),
        };

        var e = Assert.Single(Run(new MeltingDetector(), frames));

        Assert.Equal(MeltingModes.Core, e.Labels["mode"]);
    }

    [Fact]
    public void OptionsThatCannotWorkAreRefused()
    {
        Assert.Equal("below and drop are both off: set at least one",
            Assert.Throws<ArgumentException>(() => new MeltingDetector(new MeltingOptions { Below = null, Drop = null })).Message);
        Assert.StartsWith("arm_above (0.05) must be above below (0.05)",
            Assert.Throws<ArgumentException>(() => new MeltingDetector(new MeltingOptions { ArmAbove = 0.05 })).Message);
        Assert.StartsWith("drop must be between 0 and 1",
            Assert.Throws<ArgumentException>(() => new MeltingDetector(new MeltingOptions { Drop = 1.5 })).Message);
    }
}
