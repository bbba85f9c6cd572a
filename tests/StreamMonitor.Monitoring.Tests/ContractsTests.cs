using StreamMonitor.Monitoring;

namespace StreamMonitor.Monitoring.Tests;

public sealed class ContractsTests
{
    [Fact]
    public void SummariesCountClassesByName()
    {
        var summary = new FrameSummary
        {
            RunId = "r", Frame = 3, Step = 300, Model = "lj", Count = 10, ClassCounts = new Dictionary<string, int> { ["fcc"] = 4, ["liquid"] = 5 }, Undefined = 1,
            Crystalline = 4, CrystallineClasses = ["fcc"], NMax = 3, LatencyMs = 1,
        };
        Assert.Equal(4, summary.CountOf("fcc"));
        Assert.Equal(0, summary.CountOf("bcc"));
        Assert.Equal(0.4, summary.CrystallineFraction, 12);
    }
}
