using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Control;

public sealed class StopFileStrategyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CreatesTheFileWithWhoWhyAndWhen()
    {
        var path = _temp.File("STOP");
        var request = Requests.For("run-7");

        var outcome = await new StopFileStrategy(path).StopAsync(request);

        Assert.True(outcome.Success, outcome.Error);
        Assert.Equal(StopStrategyKinds.File, outcome.Strategy);
        Assert.Equal($"created stop file {path}", outcome.Description);
        var line = Assert.Single(File.ReadAllLines(path));
        Assert.Contains("rule:nucleation", line);
        Assert.Contains("nucleation", line);
        Assert.Contains("run-7", line);
        Assert.Contains(request.At.ToString("O"), line);
        Assert.Equal(["STOP"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName)); // no temporary left behind
    }

    [Fact]
    public async Task StoppingTwiceSucceedsAndKeepsTheFirstFile()
    {
        var path = _temp.File("STOP");
        var strategy = new StopFileStrategy(path);
        await strategy.StopAsync(Requests.For());
        var first = await File.ReadAllTextAsync(path);

        var again = await strategy.StopAsync(Requests.For() with { RequestedBy = "user:alice", Reason = StopRequest.OperatorReason });

        Assert.True(again.Success, again.Error);
        Assert.Equal($"stop file {path} already exists", again.Description);
        Assert.Equal(first, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task CreatesMissingDirectoriesFromPlaceholders()
    {
        var strategy = new StopFileStrategy(Path.Combine(_temp.Path, "{dir}", "{run_id}", "STOP"));

        var outcome = await strategy.StopAsync(Requests.For("r 1", ("dir", "a/b")));

        Assert.True(outcome.Success, outcome.Error);
        Assert.True(File.Exists(Path.Combine(_temp.Path, "a", "b", "r 1", "STOP")));
    }

    [Fact]
    public async Task AnUnknownPlaceholderFailsWithoutCreatingAnything()
    {
        var outcome = await new StopFileStrategy(Path.Combine(_temp.Path, "{rundir}", "STOP")).StopAsync(Requests.For());

        Assert.False(outcome.Success);
        Assert.Contains("{rundir}", outcome.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task AnUnwritableLocationIsAFailedOutcome()
    {
        Directory.CreateDirectory(_temp.File("STOP"));
        var blocked = await new StopFileStrategy(_temp.File("STOP")).StopAsync(Requests.For());
        File.WriteAllText(_temp.File("plain"), "");
        var underFile = await new StopFileStrategy(Path.Combine(_temp.File("plain"), "STOP")).StopAsync(Requests.For());

        Assert.False(blocked.Success);
        Assert.Contains("directory", blocked.Error);
        Assert.False(underFile.Success);
        Assert.NotNull(underFile.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("/tmp/dir/")]
    public void RefusesPathsThatNameNoFile(string path) =>
        Assert.Throws<ArgumentException>(() => new StopFileStrategy(path));
}
