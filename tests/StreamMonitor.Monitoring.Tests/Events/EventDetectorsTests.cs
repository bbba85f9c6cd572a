using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class EventDetectorsTests
{
    private static readonly EventRules WithBasins = EventRules.Default with
    {
        Commitment = new CommitmentOptions
        {
            Basins = [new Basin { Name = "solid", Bounds = new Dictionary<string, BasinBound> { ["n_max"] = new(150, null) } }],
        },
    };

    private static List<RunEvent> Feed(EventDetectors detectors, IEnumerable<FrameSummary> frames) =>
        frames.SelectMany(f => detectors.Observe(f, ArrivalOf(f.Frame))).ToList();

    [Fact]
    public void EventsOfOneFrameComeInTheFixedDetectorOrder()
    {
        var detectors = new EventDetectors(WithBasins, RunId);

        // Frame 3 confirms nucleation (n_max ≥ 110 since frame 1) and enters the basin (n_max > 150) at once.
        var events = Feed(detectors, WithNMax(10, 120, 130, 200));

        Assert.Equal([RunEventKinds.Nucleation, RunEventKinds.Commitment], events.Select(e => e.Kind));
        Assert.Equal([1L, 3L], FramesOf(events));
        Assert.Equal(
            [RunEventKinds.Nucleation, RunEventKinds.Melting, RunEventKinds.PolymorphChange, RunEventKinds.InterfaceMotion, RunEventKinds.Commitment],
            detectors.FrameKinds);
    }

    [Fact]
    public void DisabledDetectorsAndAnEmptyBasinListRunNothing()
    {
        var rules = EventRules.Default with { Enabled = new HashSet<string> { RunEventKinds.Melting, RunEventKinds.Restart } };
        var detectors = new EventDetectors(rules, RunId);

        Assert.Empty(Feed(detectors, WithNMax(10, 120, 130, 200, 300)));
        Assert.Equal([RunEventKinds.Melting], detectors.FrameKinds);
        Assert.Empty(detectors.Check(ArrivalOf(4).AddHours(1)));
        Assert.Single(detectors.FileChanged(RestartDetector.Replaced, "new inode", ArrivalOf(5)));
    }

    [Fact]
    public void ARestartReportsTheChangeAndStartsTheFrameDetectorsOver()
    {
        var detectors = new EventDetectors(EventRules.Default, RunId);
        Assert.Single(Feed(detectors, WithNMax(10, 120, 130, 140)));

        var restart = Assert.Single(detectors.FileChanged("Truncated", "file shrank from 4096 to 0 bytes", ArrivalOf(10)));

        Assert.Equal(RunEventKinds.Restart, restart.Kind);
        Assert.Equal(RunId, restart.RunId);
        Assert.Null(restart.Frame);
        Assert.Equal("truncated", restart.Labels["change"]);
        Assert.Equal("trajectory file truncated: file shrank from 4096 to 0 bytes", restart.Message);
        Assert.Equal(ArrivalOf(10), restart.At);
        // The new trajectory has its own baseline (first n_max 60, threshold 160); without the reset nucleation would
        // still be waiting for n_max below 55 to re-arm.
        var again = Assert.Single(Feed(detectors, WithNMax(60, 170, 180, 190)));
        Assert.Equal(1, again.Frame);
        Assert.Equal(160, again.Values["threshold"]);
    }

    [Fact]
    public void AMissingFileIsReportedButDoesNotStartTheRunOver()
    {
        var detectors = new EventDetectors(EventRules.Default, RunId);
        Assert.Single(Feed(detectors, WithNMax(10, 120, 130, 140)));

        var missing = Assert.Single(detectors.FileChanged(RestartDetector.Missing, "the file disappeared", ArrivalOf(10)));

        Assert.Equal("missing", missing.Labels["change"]);
        // The same frames as after a restart, which fire there; here nucleation is still waiting to re-arm.
        Assert.Empty(Feed(detectors, WithNMax(60, 170, 180, 190).Select(f => f with { Frame = f.Frame + 4 })));
    }

    [Fact]
    public void CheckReportsAStallOnce()
    {
        var detectors = new EventDetectors(EventRules.Default, RunId);
        Feed(detectors, WithNMax(0, 0, 0, 0)); // one frame a second: the 10 s floor applies

        Assert.Empty(detectors.Check(ArrivalOf(3).AddSeconds(9)));
        var stall = Assert.Single(detectors.Check(ArrivalOf(3).AddSeconds(10)));
        Assert.Equal(RunEventKinds.Stall, stall.Kind);
        Assert.Empty(detectors.Check(ArrivalOf(3).AddSeconds(30)));
    }

    [Fact]
    public void AnotherRunsSummaryIsRefused()
    {
        var detectors = new EventDetectors(EventRules.Default, RunId);

        var e = Assert.Throws<ArgumentException>(() => detectors.Observe(Frame(0) with { RunId = "other" }, Start));
        Assert.StartsWith("a summary of run 'other' was given to the detectors of run 'run-1'", e.Message);
    }
}
