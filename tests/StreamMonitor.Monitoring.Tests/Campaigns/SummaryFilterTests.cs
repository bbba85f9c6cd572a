using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Monitoring.Tests.Campaigns;

public sealed class SummaryFilterTests
{
    private static FrameSummary Summary(int nMax, int crystalline = 0, int count = 1000, double? meanQ6 = null, int fcc = 0) => new()
    {
        RunId = "r",
        Frame = 0,
        Step = 0,
        Model = "lj",
        Count = count,
        ClassCounts = new Dictionary<string, int> { ["fcc"] = fcc, ["liquid"] = count - fcc },
        Undefined = 0,
        Crystalline = crystalline,
        CrystallineClasses = ["fcc"],
        NMax = nMax,
        MeanQ6 = meanQ6,
        LatencyMs = 0,
    };

    private static bool Matches(string filter, FrameSummary summary) => SummaryFilter.Parse(filter).Matches(summary);

    [Theory]
    [InlineData(19, false)]
    [InlineData(20, true)]
    [InlineData(120, true)]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public void ARangeIncludesBothEnds(int nMax, bool inside) => Assert.Equal(inside, Matches("n_max in [20,200]", Summary(nMax)));

    [Theory]
    [InlineData("n_max < 50", 49, true)]
    [InlineData("n_max < 50", 50, false)]
    [InlineData("n_max <= 50", 50, true)]
    [InlineData("n_max > 50", 50, false)]
    [InlineData("n_max >= 50", 50, true)]
    [InlineData("n_max == 50", 50, true)]
    [InlineData("n_max != 50", 50, false)]
    [InlineData("n_max>=5e1", 50, true)]
    [InlineData("n_max > -1.5", 0, true)]
    public void ComparisonsAreStrictOrNotAsWritten(string filter, int nMax, bool expected) => Assert.Equal(expected, Matches(filter, Summary(nMax)));

    [Fact]
    public void AndBindsTighterThanOrAndParenthesesRegroup()
    {
        // n_max = 10 satisfies only the left of the or; read as (a or b) and c it would fail on c.
        var summary = Summary(10, crystalline: 0);
        Assert.True(Matches("n_max < 20 or n_max > 100 and crystalline > 5", summary));
        Assert.False(Matches("(n_max < 20 or n_max > 100) and crystalline > 5", summary));
        // And the other way round: a and b or c is (a and b) or c.
        Assert.True(Matches("crystalline > 5 and n_max > 100 or n_max < 20", summary));
        Assert.False(Matches("crystalline > 5 and (n_max > 100 or n_max < 20)", summary));
    }

    [Fact]
    public void NotNegatesTheTermAfterItOnly()
    {
        var summary = Summary(50, crystalline: 300);
        Assert.False(Matches("not n_max in [20,200]", summary));
        Assert.True(Matches("not n_max > 100 and crystalline > 100", summary));
        Assert.False(Matches("not (n_max > 100 or crystalline > 100)", summary));
        Assert.True(Matches("not not n_max == 50", summary));
        Assert.True(Matches("NOT n_max > 100 AND crystalline > 100", summary)); // keywords in any case
    }

    [Fact]
    public void PerClassQuantitiesAndDerivedFractionsAreRead()
    {
        var summary = Summary(100, crystalline: 250, count: 1000, fcc: 250);
        Assert.True(Matches("class:fcc in [250,250] and fraction:fcc > 0.2 and crystalline_fraction < 0.3", summary));
        Assert.False(Matches("fraction:liquid < 0.7", summary));
    }

    [Fact]
    public void AQuantityTheSummaryLacksMakesItsComparisonFalse()
    {
        var noQ6 = Summary(100);
        Assert.False(Matches("mean_q6 > 0", noQ6));
        Assert.False(Matches("mean_q6 <= 0", noQ6));
        Assert.True(Matches("not mean_q6 > 0", noQ6));
        Assert.True(Matches("mean_q6 > 0.3", Summary(100, meanQ6: 0.4)));
    }

    [Fact]
    public void TheQuantitiesReadAreListedOnce()
    {
        var filter = SummaryFilter.Parse("n_max > 1 and (class:fcc < 3 or n_max < 9) or not mean_q6 in [0, 1]");
        Assert.Equal(["n_max", "class:fcc", "mean_q6"], filter.Quantities);
    }

    [Theory]
    [InlineData("nmax > 3", "unknown quantity 'nmax' at position 1")]
    [InlineData("n_max > 3 and size < 2", "unknown quantity 'size' at position 15")]
    [InlineData("n_max >", "expected a number, found the end of the expression")]
    [InlineData("n_max = 3", "unexpected character '=' at position 7")]
    [InlineData("n_max in [20 200]", "expected ',', found '200' at position 14")]
    [InlineData("n_max in [20,200", "expected ']', found the end of the expression")]
    [InlineData("n_max in [200,20]", "the range of n_max is empty: [200,20]")]
    [InlineData("(n_max > 3", "expected ')', found the end of the expression")]
    [InlineData("n_max > 3 n_max < 5", "expected 'and', 'or' or the end of the expression, found 'n_max' at position 11")]
    [InlineData("n_max > 3 and", "expected a quantity")]
    [InlineData("n_max 3", "expected 'in [LOW,HIGH]' or a comparison")]
    [InlineData("n_max > 1e999", "'1e999' at position 9 is not a finite number")]
    [InlineData("n_max > 3x", "'3x' at position 9 is not a finite number")]
    [InlineData("", "the filter is empty")]
    public void MistakesNameTheOffendingToken(string filter, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => SummaryFilter.Parse(filter));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AnUnknownQuantityListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => SummaryFilter.Parse("largest > 3"));
        Assert.Contains("n_max, count, crystalline, crystalline_fraction", error.Message);
        Assert.Contains("class:NAME, fraction:NAME", error.Message);
    }

    [Fact]
    public void AClassTheModelLacksIsAnErrorOnEvaluationNotAnEmptyClass()
    {
        var filter = SummaryFilter.Parse("class:bcc > 3");
        var error = Assert.Throws<ArgumentException>(() => filter.Matches(Summary(10)));
        Assert.Contains("class 'bcc'", error.Message);
    }
}
