using StreamMonitor.Analysis.Interfaces;
using StreamMonitor.Classification.Models;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

public sealed class SummarizerOptionsTests
{
    private static readonly string[] LjClasses = ["fcc", "hcp", "bcc", "ico", "liquid"];

    public static TheoryData<SummarizerOptions, string> BadOptions => new()
    {
        { new SummarizerOptions { MolecularClusterCutoff = 0 }, "molecular_cluster_cutoff" },
        { new SummarizerOptions { SurfaceRadius = -1 }, "surface_radius" },
        { new SummarizerOptions { SurfaceRadius = double.NaN }, "surface_radius" },
        { new SummarizerOptions { SurfaceMinNeighbors = 0 }, "surface_min_neighbors" },
        { new SummarizerOptions { InterfaceAxis = 'w' }, "interface_axis" },
        { new SummarizerOptions { InterfaceAxis = 'z', InterfaceBins = 4 }, "interface_bins" },
        { new SummarizerOptions { InterfaceGeometry = (InterfaceGeometry)7 }, "interface_geometry" },
        { new SummarizerOptions { InterfaceClasses = [] }, "interface_classes" },
        { new SummarizerOptions { InterfaceClasses = ["fcc", "IV"] }, "interface class 'IV'" },
        { new SummarizerOptions { TimePerStep = 0 }, "time_per_step" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void ABadOptionIsRefusedByName(SummarizerOptions options, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => options.Validate(LjClasses));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void TheDefaultsAreValidAndLeaveTheInterfaceOff()
    {
        var options = new SummarizerOptions();
        options.Validate(LjClasses);
        Assert.True(options.SurfaceCore);
        Assert.Null(options.InterfaceAxis);
        new SummarizerOptions { InterfaceAxis = 'C', InterfaceClasses = ["fcc"], SurfaceRadius = 2.5, TimePerStep = 0.005 }.Validate(LjClasses);
    }

    [Fact]
    public void TheSummarizerChecksItsOptions()
    {
        using var model = ClassifierModel.Load("lj");
        var e = Assert.Throws<ArgumentException>(() => new FrameSummarizer(model, new SummarizerOptions { InterfaceAxis = 'q' }));
        Assert.Contains("interface_axis", e.Message);
    }
}
