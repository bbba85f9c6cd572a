using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using static StreamMonitor.Monitoring.Tests.Events.Summaries;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class SummaryQuantitiesTests
{
    private static readonly FrameSummary Measured = Crystal(4, 300, 100, surface: 120, core: 280) with
    {
        Undefined = 7, MeanQ6 = 0.41, LargestRg = 6.5, InterfacePosition = 12.5, InterfaceVelocity = -0.25,
    };

    [Theory]
    [InlineData("n_max", 400)]
    [InlineData("count", 1000)]
    [InlineData("crystalline", 400)]
    [InlineData("crystalline_fraction", 0.4)]
    [InlineData("undefined", 7)]
    [InlineData("mean_q6", 0.41)]
    [InlineData("surface", 120)]
    [InlineData("core", 280)]
    [InlineData("largest_rg", 6.5)]
    [InlineData("interface_position", 12.5)]
    [InlineData("interface_velocity", -0.25)]
    [InlineData("class:hcp", 100)]
    [InlineData("fraction:fcc", 0.3)]
    [InlineData("fraction:liquid", 0.6)]
    public void ReadsEachQuantityByName(string name, double expected)
    {
        Assert.True(SummaryQuantities.IsKnown(name));
        Assert.Equal(expected, SummaryQuantities.Get(Measured, name)!.Value, 12);
    }

    [Fact]
    public void AQuantityTheSummaryDoesNotCarryIsNull()
    {
        Assert.Null(SummaryQuantities.Get(Frame(0), "mean_q6"));
        Assert.Null(SummaryQuantities.Get(Frame(0), "interface_velocity"));
    }

    [Theory]
    [InlineData("nmax")]
    [InlineData("class:")]
    [InlineData("N_MAX")]
    public void AnUnknownNameIsAnErrorListingTheKnownOnes(string name)
    {
        Assert.False(SummaryQuantities.IsKnown(name));
        var e = Assert.Throws<ArgumentException>(() => SummaryQuantities.Get(Measured, name));
        Assert.Equal($"unknown quantity '{name}' (known: {SummaryQuantities.Known})", e.Message);
        Assert.Contains("fraction:NAME", e.Message);
        Assert.Throws<ArgumentException>(() => SummaryQuantities.Validate(name));
    }

    [Fact]
    public void AClassTheRunDoesNotHaveIsAnErrorNotAnEmptyClass()
    {
        var e = Assert.Throws<ArgumentException>(() => SummaryQuantities.Get(Measured, "fraction:bcc"));

        Assert.Equal("class 'bcc' is not one of run run-1's classes (fcc, hcp, liquid)", e.Message);
    }
}
