using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Training;

namespace StreamMonitor.Classification.Tests;

public sealed class SourceBreakdownTests
{
    [Fact]
    public void CountsEachSourcesPredictionsByClass()
    {
        // source:    0 0 0 1 1 2 2 2 2
        // truth:     a a a a a b b b b
        // predicted: a b a a ? b a b b    (? = undefined)
        int u = ClassifierModel.Undefined;
        string[] sources = ["a=/runs/x/hot.dump", "a=/runs/x/cold.dump#types=1", "b=/runs/y.dump"];
        var breakdown = new SourceBreakdown(["a", "b"], sources, [0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 0, 0, 0, 1, 1, 1, 1], [0, 1, 0, 0, u, 1, 0, 1, 1]);
        Assert.Equal([3L, 2, 4], breakdown.Rows);
        Assert.Equal([2L, 1, 3], breakdown.Correct);
        Assert.Equal(2.0 / 3, breakdown.Accuracy(0), 12);
        Assert.Equal(1, breakdown.Predicted(0, 1));
        Assert.Equal(1, breakdown.Undefined(1));
        Assert.Equal(0, breakdown.Undefined(2));
        Assert.Equal(1, breakdown.Predicted(2, 0));

        var json = breakdown.ToJson();
        Assert.Equal(3, json.Count);
        Assert.Equal("b=/runs/y.dump", json[2]!["source"]!.GetValue<string>());
        Assert.Equal(0.75, json[2]!["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(1, json[1]!["predicted"]![ClassifierModel.UndefinedName]!.GetValue<long>());

        // Paths lose only the folder they all share, and the labels stay.
        var text = breakdown.ToText();
        Assert.Matches(@"(?m)^a=x/hot\.dump\s+3\s+0\.6667\s+2\s+1\s+0$", text);
        Assert.Matches(@"(?m)^a=x/cold\.dump#types=1\s+2\s+0\.5000\s+1\s+0\s+1$", text);
        Assert.Matches(@"(?m)^b=y\.dump\s+4\s+0\.7500\s+1\s+3\s+0$", text);
    }

    [Fact]
    public void ShortNamesKeepSharedStartsOfFileNames()
    {
        Assert.Equal(["I=crystal-T200.dump", "I=crystal-T300.dump"], SourceBreakdown.ShortNames(["I=/w/crystal-T200.dump", "I=/w/crystal-T300.dump"]));
        Assert.Equal(["a.dump"], SourceBreakdown.ShortNames(["/w/a.dump"]));
        Assert.Equal(["x=a", "y=b"], SourceBreakdown.ShortNames(["x=a", "y=b"]));
    }

    [Fact]
    public void RefusesMismatchedLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => new SourceBreakdown(["a"], ["s"], [0, 0], [0], [0]));
        Assert.Contains("one of each per row", e.Message);
    }
}
