using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Monitoring.Tests.Control;

/// <summary>Splitting command lines without a shell, and filling placeholders.</summary>
public sealed class CommandTemplateTests
{
    [Theory]
    [InlineData("scancel {jobid}", new[] { "scancel", "{jobid}" })]
    [InlineData("  a   b\tc ", new[] { "a", "b", "c" })]
    [InlineData("printf %s \"{path}\"", new[] { "printf", "%s", "{path}" })]
    [InlineData("a 'b c' \"d e\"", new[] { "a", "b c", "d e" })]
    [InlineData("a\"b c\"d", new[] { "ab cd" })]
    [InlineData("a '' \"\"", new[] { "a", "", "" })]
    [InlineData("say 'it''s'", new[] { "say", "its" })]
    [InlineData("say \"a \\\"q\\\" \\\\ \\n\"", new[] { "say", "a \"q\" \\ \\n" })]
    [InlineData("say 'no \\escape'", new[] { "say", "no \\escape" })]
    [InlineData("a\\ b \\'c", new[] { "a b", "'c" })]
    [InlineData("echo $HOME ; rm * | x > y && `z`", new[] { "echo", "$HOME", ";", "rm", "*", "|", "x", ">", "y", "&&", "`z`" })]
    public void SplitsLikeAShellWithoutExpanding(string line, string[] expected) =>
        Assert.Equal(expected, CommandLineTokenizer.Split(line));

    [Theory]
    [InlineData("a 'b", "unterminated ' quote starting at position 3")]
    [InlineData("a \"b", "unterminated \" quote starting at position 3")]
    [InlineData("a \\", "lone backslash")]
    public void NamesSplittingErrors(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => CommandLineTokenizer.Split(line));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("it's \"quoted\" \\ here")]
    [InlineData("")]
    public void QuotedArgumentsSplitBackUnchanged(string argument) =>
        Assert.Equal(["x", argument], CommandLineTokenizer.Split(CommandLineTokenizer.Join(["x", argument])));

    [Fact]
    public void ReadsJsonArrays()
    {
        var template = CommandTemplate.Parse("[\"scancel\", \"--signal=TERM\", \"{jobid}\"]");
        Assert.Equal(["scancel", "--signal=TERM", "{jobid}"], template.Arguments);
        Assert.Equal("scancel --signal=TERM {jobid}", template.ToString());
    }

    [Fact]
    public void FillsEachArgumentSeparately()
    {
        var template = CommandTemplate.Parse("notify --run={run_id} --by {by} '{reason}: {note}' {{literal}} awk '{print $1}'");
        var request = Requests.For("r1", ("note", "a b; c"));

        Assert.True(template.TryExpand(request, out var arguments, out var error), error);
        Assert.Equal(["notify", "--run=r1", "--by", "rule:nucleation", "nucleation: a b; c", "{literal}", "awk", "{print $1}"], arguments);
    }

    [Fact]
    public void BuiltInPlaceholdersWinAndNamesIgnoreCase()
    {
        var request = Requests.For("real", ("run_id", "forged"), ("JobId", "5678"));

        Assert.True(Placeholders.TryExpand("{Run_Id} {jobid}", request, out var text, out _));
        Assert.Equal("real 5678", text);
    }

    [Fact]
    public void AnEmptyValueIsAnError()
    {
        Assert.False(Placeholders.TryExpand("scancel {jobid}", Requests.For(placeholders: ("jobid", "")), out _, out var error));
        Assert.Equal("placeholder {jobid} in 'scancel {jobid}' is empty", error);
    }

    [Theory]
    [InlineData("{pid}", true)]
    [InlineData("a{x_1}b", true)]
    [InlineData("{{pid}}", false)]
    [InlineData("{1}", false)]
    [InlineData("{ pid }", false)]
    [InlineData("1234", false)]
    public void KnowsWhatIsAPlaceholder(string text, bool expected) => Assert.Equal(expected, Placeholders.Contains(text));
}
