using System.Diagnostics;
using System.Globalization;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Control;

public sealed class SignalStrategyTests
{
    [Fact]
    public async Task SigtermEndsARealProcess()
    {
        using var sleep = ExternalProcess.Start("sleep", ["60"]);
        try
        {
            var outcome = await new SignalStrategy(sleep.Id).StopAsync(Requests.For());

            Assert.True(outcome.Success, outcome.Error);
            Assert.Equal($"sent SIGTERM to pid {sleep.Id}", outcome.Description);
            Assert.True(sleep.WaitForExit(TimeSpan.FromSeconds(5)), "sleep did not exit");
            Assert.Equal(128 + 15, sleep.ExitCode); // .NET reports death by signal N as 128 + N
        }
        finally
        {
            if (!sleep.HasExited) sleep.Kill();
        }
    }

    [Fact]
    public async Task ThePidCanComeFromTheRequestAndTheSignalBeChosen()
    {
        // A process started from a background job inherits SIGINT ignored (POSIX shells do that for '&'), and a plain
        // `sleep` would then outlive it: this one puts SIGINT back to its default first.
        using var sleeper = ExternalProcess.Start("/usr/bin/python3",
            ["-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_DFL); print('ready', flush=True); time.sleep(60)"]);
        Assert.Equal("ready", await sleeper.StandardOutput.ReadLineAsync());
        try
        {
            var request = Requests.For(placeholders: ("pid", sleeper.Id.ToString(CultureInfo.InvariantCulture)));

            var outcome = await new SignalStrategy("{pid}", UnixSignal.Int).StopAsync(request);

            Assert.True(outcome.Success, outcome.Error);
            Assert.Equal($"sent SIGINT to pid {sleeper.Id}", outcome.Description);
            Assert.True(sleeper.WaitForExit(TimeSpan.FromSeconds(5)), "the process did not exit");
            Assert.Equal(128 + 2, sleeper.ExitCode);
        }
        finally
        {
            if (!sleeper.HasExited) sleeper.Kill();
        }
    }

    [Fact]
    public async Task AProcessThatIsGoneIsAFailedOutcome()
    {
        int pid;
        using (var done = Process.Start("true")!)
        {
            done.WaitForExit();
            pid = done.Id; // exited and reaped by the runtime
        }

        var outcome = await new SignalStrategy(pid).StopAsync(Requests.For());

        Assert.False(outcome.Success);
        Assert.Equal($"could not send SIGTERM to pid {pid}", outcome.Description);
        Assert.Equal($"no process with pid {pid} (it has already exited)", outcome.Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-1)]
    public void RefusesInitAndProcessGroups(int pid)
    {
        var e = Assert.Throws<ArgumentException>(() => new SignalStrategy(pid));
        Assert.Contains("refused", e.Message);
    }

    [Theory]
    [InlineData("1", "refused")]
    [InlineData("-5", "refused")]
    [InlineData("12x", "not a process id")]
    public async Task ABadPidFromTheRequestIsAFailedOutcome(string pid, string expected)
    {
        var outcome = await new SignalStrategy("{pid}").StopAsync(Requests.For(placeholders: ("pid", pid)));

        Assert.False(outcome.Success);
        Assert.Contains(expected, outcome.Error);
    }

    [Fact]
    public async Task AMissingPidPlaceholderIsAFailedOutcome()
    {
        var outcome = await new SignalStrategy("{pid}").StopAsync(Requests.For());

        Assert.False(outcome.Success);
        Assert.Contains("unknown placeholder {pid}", outcome.Error);
    }

    [Theory]
    [InlineData("TERM", UnixSignal.Term)]
    [InlineData("SIGKILL", UnixSignal.Kill)]
    [InlineData("usr1", UnixSignal.Usr1)]
    public void ParsesSignalNames(string text, UnixSignal expected) => Assert.Equal(expected, UnixSignals.Parse(text));

    [Theory]
    [InlineData("15")]
    [InlineData("SIG")]
    [InlineData("STOPPLEASE")]
    [InlineData("")]
    public void RefusesUnknownSignals(string text)
    {
        var e = Assert.Throws<FormatException>(() => UnixSignals.Parse(text));
        Assert.Contains("TERM, INT, HUP", e.Message);
    }
}
