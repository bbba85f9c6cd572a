using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Monitoring.Tests.Control;

public sealed class StopStrategySpecTests
{
    [Fact]
    public void ReadsAStopFile()
    {
        var spec = StopStrategySpec.Parse("file:/scratch/run 1/STOP");

        Assert.Equal(new StopStrategySpec { Kind = "file", Target = "/scratch/run 1/STOP" }, spec);
        Assert.Equal("/scratch/run 1/STOP", Assert.IsType<StopFileStrategy>(spec.Create()).Path);
    }

    [Theory]
    [InlineData("signal:1234", "1234", null, UnixSignal.Term)]
    [InlineData("signal:{pid}:INT", "{pid}", "INT", UnixSignal.Int)]
    [InlineData("SIGNAL:1234:sigkill", "1234", "sigkill", UnixSignal.Kill)]
    public void ReadsASignal(string text, string pid, string? signalText, UnixSignal signal)
    {
        var spec = StopStrategySpec.Parse(text);

        Assert.Equal(StopStrategyKinds.Signal, spec.Kind);
        Assert.Equal(signalText, spec.Signal);
        var strategy = Assert.IsType<SignalStrategy>(spec.Create());
        Assert.Equal(pid, strategy.Pid);
        Assert.Equal(signal, strategy.Signal);
    }

    [Fact]
    public void ReadsACommandWithColonsAndQuotes()
    {
        var spec = StopStrategySpec.Parse("command:ssh login1 'scancel {jobid}' --opt=a:b");

        var strategy = Assert.IsType<CommandStrategy>(spec.Create());
        Assert.Equal(["ssh", "login1", "scancel {jobid}", "--opt=a:b"], strategy.Template.Arguments);
        Assert.Equal(CommandStrategy.DefaultTimeout, strategy.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), Assert.IsType<CommandStrategy>((spec with { Timeout = TimeSpan.FromSeconds(5) }).Create()).Timeout);
    }

    [Theory]
    [InlineData("file:/x/STOP")]
    [InlineData("signal:1234:TERM")]
    [InlineData("signal:{pid}")]
    [InlineData("command:scancel {jobid}")]
    public void WritesTheFormItReads(string text) => Assert.Equal(text, StopStrategySpec.Parse(text).ToString());

    [Theory]
    [InlineData("", "is not file:PATH, signal:PID[:SIGNAL] or command:TEMPLATE")]
    [InlineData("STOP", "is not file:PATH, signal:PID[:SIGNAL] or command:TEMPLATE")]
    [InlineData(":x", "is not file:PATH")]
    [InlineData("halt:now", "unknown stop strategy kind 'halt': use file, signal, command")]
    [InlineData("file:", "the stop file path is empty")]
    [InlineData("signal:", "pid '' is not a process id")]
    [InlineData("signal:abc", "pid 'abc' is not a process id")]
    [InlineData("signal:1", "pid 1 is refused")]
    [InlineData("signal:-1:KILL", "pid -1 is refused")]
    [InlineData("signal:1234:STOPNOW", "unknown signal 'STOPNOW': use one of TERM, INT, HUP, QUIT, USR1, USR2, KILL")]
    [InlineData("signal:1234:TERM:x", "at most one more colon")]
    [InlineData("command:", "the command is empty")]
    [InlineData("command:scancel '{jobid}", "unterminated ' quote")]
    public void NamesWhatIsWrong(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => StopStrategySpec.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
        Assert.False(StopStrategySpec.TryParse(text, out var spec, out var error));
        Assert.Null(spec);
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void OptionsOfOtherKindsAreRefused()
    {
        var file = new StopStrategySpec { Kind = StopStrategyKinds.File, Target = "/x/STOP", Timeout = TimeSpan.FromSeconds(1) };
        var command = new StopStrategySpec { Kind = StopStrategyKinds.Command, Target = "true", Signal = "TERM" };

        Assert.Contains("timeout applies only to command", Assert.Throws<ArgumentException>(file.Create).Message);
        Assert.Contains("signal applies only to signal", Assert.Throws<ArgumentException>(command.Create).Message);
    }
}
