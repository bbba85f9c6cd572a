using StreamMonitor.Monitoring;
using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Models;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>Summaries of real frames: a crystallizing LJ quench from LAMMPS and the urea form I crystal.</summary>
public sealed class FrameSummarizerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task AGrowingLennardJonesCrystalIsCountedAndItsClusterGrows()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 3000, dumpEvery: 1000);
        using var model = ClassifierModel.Load("lj");
        var summarizer = new FrameSummarizer(model);
        Assert.Equal(["fcc", "hcp", "bcc"], summarizer.CrystallineClasses);
        using var reader = TrajectoryReader.Open(dump);
        var summaries = new List<FrameSummary>();
        foreach (var frame in reader.ReadAll())
            using (frame) summaries.Add(await summarizer.SummarizeAsync("lj", frame));

        Assert.Equal(4, summaries.Count);
        foreach (var s in summaries)
        {
            Assert.Equal(500, s.Count); // 5 cells of fcc
            Assert.Equal(s.Count, s.ClassCounts.Values.Sum() + s.Undefined);
            Assert.Equal(s.CountOf("fcc") + s.CountOf("hcp") + s.CountOf("bcc"), s.Crystalline);
            Assert.InRange(s.NMax, 1, s.Crystalline);
            Assert.Equal("fcc", s.DominantCrystal);
            Assert.InRange(s.MeanQ6!.Value, 0.2, 0.6);
            Assert.NotNull(s.LargestCenter);
            Assert.True(s.LatencyMs > 0);
        }
        // The seed slab (a fifth of the box) grows as the quenched liquid crystallizes.
        Assert.True(summaries[^1].NMax > summaries[0].NMax, $"n_max {summaries[0].NMax} -> {summaries[^1].NMax}");
        Assert.True(summaries[^1].CrystallineFraction > summaries[0].CrystallineFraction);
    }

    [Fact]
    public async Task TheBatcherGivesTheSameSummaryAsTheModelAlone()
    {
        using var reader = TrajectoryReader.Open(Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "form-I-3456atoms.dump"));
        using var frame = reader.Read()!;
        using var model = ClassifierModel.Load("urea-2024");
        await using var batcher = MicroBatcher.For((MlpNetwork)model.Network);
        var alone = await new FrameSummarizer(model).SummarizeAsync("urea", frame);
        var batched = await new FrameSummarizer(model, batcher: batcher).SummarizeAsync("urea", frame);

        Assert.Equal(432, alone.Count);
        Assert.Equal(432, alone.CountOf("I"));
        Assert.Equal(432, alone.NMax); // one periodic crystal
        Assert.Equal("I", alone.DominantCrystal);
        Assert.Null(alone.MeanQ6);
        Assert.Equal(alone.ClassCounts, batched.ClassCounts);
        Assert.Equal(alone.NMax, batched.NMax);
        Assert.Equal(1, batcher.Batches);
    }

    [Fact]
    public void ABadCrystallineClassIsRefused()
    {
        using var model = ClassifierModel.Load("lj");
        var e = Assert.Throws<ArgumentException>(() => new FrameSummarizer(model, new SummarizerOptions { CrystallineClasses = ["fcc", "diamond"] }));
        Assert.Contains("diamond", e.Message);
    }
}
