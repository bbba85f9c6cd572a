using StreamMonitor.Monitoring;

namespace StreamMonitor.Monitoring.Tests;

public sealed class ContractsTests
{
    [Fact]
    public void SummariesCountClassesByName()
    {
        var summary = new FrameSummary
        {
            RunId = "r", Frame = 3, Step = 300, Count = 10, Classes = ["fcc", "liquid"], ClassCounts = [4, 5], Undefined = 1,
            Crystalline = 4, CrystallineClasses = ["fcc"], NMax = 3, LatencyMs = 1,
        };
        Assert.Equal(4, summary.CountOf("fcc"));
        Assert.Equal(0, summary.CountOf("bcc"));
        Assert.Equal(0.4, summary.CrystallineFraction, 12);
    }
}
