using System.Diagnostics;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Control;

/// <summary>Real programs run by command templates: touch, printf, ls, sleep, python3.</summary>
public sealed class CommandStrategyTests : IDisposable
{
    /// <summary>A value a shell would split, chain, expand and redirect, if one were involved.</summary>
    private const string Hostile = "my run; touch pwned $(touch pwned2) `touch pwned3` > out \"quoted\" 'single' *";

    private readonly TempDirectory _temp = new("streammonitor control ");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunsTheTemplateWithPlaceholdersFilledIn()
    {
        var strategy = new CommandStrategy("touch {dir}/marker-{run_id}");

        var outcome = await strategy.StopAsync(Requests.For("run-7", ("dir", _temp.Path)));

        Assert.True(outcome.Success, outcome.Error);
        Assert.Equal(StopStrategyKinds.Command, outcome.Strategy);
        Assert.Equal($"ran touch '{_temp.Path}/marker-run-7': exit 0", outcome.Description); // the temp path has a space
        Assert.True(File.Exists(_temp.File("marker-run-7")));
    }

    [Fact]
    public async Task APlaceholderValueStaysOneLiteralArgument()
    {
        var outcome = await new CommandStrategy("printf %s \"{path}\"").StopAsync(Requests.For(placeholders: ("path", Hostile)));

        Assert.True(outcome.Success, outcome.Error);
        Assert.Equal(Hostile, outcome.Output);
    }

    [Fact]
    public async Task NoShellInterpretsTheCommand()
    {
        var strategy = new CommandStrategy(["touch", "{dir}/{name}"]);

        var outcome = await strategy.StopAsync(Requests.For(placeholders: [("dir", _temp.Path), ("name", Hostile)]));

        Assert.True(outcome.Success, outcome.Error);
        Assert.Equal([Hostile], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task QuotedTemplateArgumentsKeepTheirSpaces()
    {
        var outcome = await new CommandStrategy("printf '[%s]' 'a b' \"c  d\" e\\ f {run_id}").StopAsync(Requests.For("r 9"));

        Assert.True(outcome.Success, outcome.Error);
        Assert.Equal("[a b][c  d][e f][r 9]", outcome.Output);
    }

    [Fact]
    public async Task AnUnknownPlaceholderFailsWithoutRunningAnything()
    {
        var strategy = new CommandStrategy("touch {dir}/marker-{jobid}");

        var outcome = await strategy.StopAsync(Requests.For(placeholders: ("dir", _temp.Path)));

        Assert.False(outcome.Success);
        Assert.Contains("unknown placeholder {jobid}", outcome.Error);
        Assert.Contains("known: run_id, reason, by, dir", outcome.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task ANonZeroExitIsAFailedOutcomeWithTheCodeAndStderr()
    {
        var missing = _temp.File("missing");

        var outcome = await new CommandStrategy(["ls", missing]).StopAsync(Requests.For());

        Assert.False(outcome.Success);
        Assert.Equal($"ran ls '{missing}': exit 2", outcome.Description);
        Assert.StartsWith("exit code 2: ls: cannot access", outcome.Error);
        Assert.Contains("No such file or directory", outcome.Output);
    }

    [Fact]
    public async Task AProgramThatDoesNotExistIsAFailedOutcome()
    {
        var outcome = await new CommandStrategy("no-such-program-streammonitor {run_id}").StopAsync(Requests.For());

        Assert.False(outcome.Success);
        Assert.Equal("could not run no-such-program-streammonitor run-7", outcome.Description);
        Assert.StartsWith("could not start no-such-program-streammonitor", outcome.Error);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task ACommandThatHangsIsKilledAtTheTimeout()
    {
        var pidFile = _temp.File("pid");
        var script = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)";
        var strategy = new CommandStrategy([MdAnalysis.Python, "-c", script, "{pidfile}"], TimeSpan.FromMilliseconds(1500));
        var clock = Stopwatch.StartNew();

        var outcome = await strategy.StopAsync(Requests.For(placeholders: ("pidfile", pidFile)));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(6));
        Assert.False(outcome.Success);
        Assert.EndsWith(": killed after 1.5 s", outcome.Description);
        Assert.Equal("timed out after 1.5 s", outcome.Error);
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the command (pid {pid}) is still running");
    }

    [Fact]
    public async Task OutputIsTruncated()
    {
        var outcome = await new CommandStrategy("seq 1 100000").StopAsync(Requests.For());

        Assert.True(outcome.Success, outcome.Error);
        Assert.StartsWith("1\n2\n3\n", outcome.Output);
        Assert.EndsWith("…(truncated)", outcome.Output);
        Assert.InRange(outcome.Output!.Length, CommandStrategy.MaxOutputChars, CommandStrategy.MaxOutputChars + 20);
    }

    [Fact]
    public async Task CancellationKillsTheCommandAndThrows()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new CommandStrategy("sleep 60").StopAsync(Requests.For(), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void RefusesTimeoutsThatAreNotPositive(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommandStrategy("true", TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("echo 'open", "unterminated ' quote")]
    [InlineData("[\"scancel\", 5]", "JSON array of strings")]
    public void RefusesBadTemplates(string template, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new CommandStrategy(template));
        Assert.Contains(expected, e.Message);
    }
}
