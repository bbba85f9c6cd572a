using StreamMonitor.Classification.Models;
using StreamMonitor.Ingest;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>
/// What counts as crystalline comes from the model's roles: on real urea trajectories from LAMMPS (a 500 K melt, the
/// form I crystal at 200 K) the urea-2024 model's form I is the crystal, and its unnamed outputs, which a melt turns up
/// in numbers, are not.
/// </summary>
public sealed class UreaCrystallinityTests
{
    private static async Task<List<FrameSummary>> SummarizeAsync(string path, SummarizerOptions? options = null)
    {
        using var model = ClassifierModel.Load("urea-2024");
        var summarizer = new FrameSummarizer(model, options);
        using var reader = TrajectoryReader.Open(path);
        var summaries = new List<FrameSummary>();
        foreach (var frame in reader.ReadAll())
            using (frame) summaries.Add(await summarizer.SummarizeAsync("urea", frame));
        return summaries;
    }

    [Fact]
    public async Task AUreaMeltIsNotCrystallineAndNoNucleationFires()
    {
        var summaries = await SummarizeAsync(UreaTrajectories.Melt500K);
        var detectors = new EventDetectors(EventRules.Default, "urea");
        var events = summaries.SelectMany(s => detectors.Observe(s, DateTimeOffset.UtcNow)).ToList();

        Assert.Equal(5, summaries.Count);
        Assert.All(summaries, s =>
        {
            Assert.Equal(UreaTrajectories.Molecules, s.Count);
            Assert.Equal(["I"], s.CrystallineClasses);
            Assert.True(s.CrystallineFraction < 0.02, $"frame {s.Frame}: {s.CrystallineFraction:P1} crystalline, {Census(s)}");
            Assert.True(s.CountOf("melt") > s.Crystalline, Census(s));
        });
        Assert.DoesNotContain(events, e => e.Kind == RunEventKinds.Nucleation);
        Assert.DoesNotContain(events, e => e.Kind == RunEventKinds.PolymorphChange);
    }

    [Fact]
    public async Task TheFormICrystalAt200KIsCrystalline()
    {
        var summaries = await SummarizeAsync(UreaTrajectories.FormI200K);

        Assert.Equal(5, summaries.Count);
        Assert.All(summaries, s =>
        {
            Assert.True(s.CrystallineFraction > 0.9, $"frame {s.Frame}: {s.CrystallineFraction:P1} crystalline, {Census(s)}");
            Assert.Equal("I", s.DominantCrystal);
            Assert.True(s.NMax > 0.9 * s.Count, $"frame {s.Frame}: n_max {s.NMax}");
        });
    }

    [Fact]
    public async Task ARunCanNameItsOwnCrystallineClasses()
    {
        // Counting the unnamed outputs as crystals, as the rule on class names did, turns the melt into a crystal.
        var settings = new SummarySettings { CrystallineClasses = ["I", "out4", "out5"] };
        var summaries = await SummarizeAsync(UreaTrajectories.Melt500K, SummarizerOptions.From(settings));

        Assert.All(summaries, s =>
        {
            Assert.Equal(["I", "out4", "out5"], s.CrystallineClasses);
            Assert.Equal(s.CountOf("I") + s.CountOf("out4") + s.CountOf("out5"), s.Crystalline);
        });
        Assert.True(summaries.Average(s => s.CrystallineFraction) > 0.05, string.Join("; ", summaries.Select(Census)));

        using var model = ClassifierModel.Load("urea-2024");
        var bad = new SummarySettings { CrystallineClasses = ["I", "IV"] };
        Assert.Contains("crystalline class 'IV'", Assert.Throws<ArgumentException>(() => new FrameSummarizer(model, SummarizerOptions.From(bad))).Message);
        Assert.Contains("crystalline_classes", Assert.Throws<ArgumentException>(
            () => new FrameSummarizer(model, SummarizerOptions.From(new SummarySettings { CrystallineClasses = [] }))).Message);
    }

    private static string Census(FrameSummary s) =>
        string.Join(" ", s.ClassCounts.Select(c => $"{c.Key} {c.Value}")) + $" undefined {s.Undefined}, n_max {s.NMax}";
}
