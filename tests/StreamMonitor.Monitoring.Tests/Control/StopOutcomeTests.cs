using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Control;

/// <summary>Every stop attempt, successful or not, becomes one audit event.</summary>
public sealed class StopOutcomeTests
{
    [Fact]
    public async Task ASuccessfulStopIsRecordedWithWhoWhyAndHow()
    {
        using var temp = new TempDirectory();
        var request = Requests.For("run-7") with { RequestedBy = "user:alice", Reason = StopRequest.OperatorReason };
        var outcome = await new StopFileStrategy(temp.File("STOP")).StopAsync(request);

        var recorded = outcome.ToEvent(request);

        Assert.Equal("run-7", recorded.RunId);
        Assert.Equal(RunEventKinds.Stop, recorded.Kind);
        Assert.Equal($"created stop file {temp.File("STOP")}", recorded.Message);
        Assert.Equal(outcome.At, recorded.At);
        Assert.Equal(new Dictionary<string, string>
        {
            ["by"] = "user:alice", ["reason"] = "operator", ["strategy"] = "file", ["outcome"] = "succeeded",
        }, recorded.Labels);
    }

    [Fact]
    public async Task AFailedStopIsRecordedWithItsErrorOnOneLine()
    {
        var request = Requests.For("run-8");
        var outcome = await new CommandStrategy(["ls", "/no/such/dir", "/nor/this"]).StopAsync(request);

        var recorded = outcome.ToEvent(request);

        Assert.Equal(RunEventKinds.Stop, recorded.Kind);
        Assert.StartsWith("ran ls /no/such/dir /nor/this: exit 2: failed: exit code 2: ls: cannot access", recorded.Message);
        Assert.DoesNotContain('\n', recorded.Message);
        Assert.Equal("failed", recorded.Labels["outcome"]);
        Assert.Equal("command", recorded.Labels["strategy"]);
        Assert.Equal("rule:nucleation", recorded.Labels["by"]);
        Assert.Equal("nucleation", recorded.Labels["reason"]);
        Assert.Equal(outcome.Error, recorded.Labels["error"]);
    }
}
