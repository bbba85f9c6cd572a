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

    /// <summary>
    /// A frame of more rows than one stretch of the mean (a jittered fcc crystal of 70304 atoms): the mean q6 is the
    /// mean of the featurizer's q6 column over the defined rows, and the same on one core as on two.
    /// </summary>
    [Fact]
    public async Task TheMeanQ6OfALargeFrameIsTheMeanOfItsDefinedRows()
    {
        const int cells = 26;
        const double a = 1.5599; // LJ fcc near melting
        var random = new Random(4);
        using var frame = new Core.Frame(4 * cells * cells * cells) { Box = Core.SimulationBox.Orthogonal(cells * a, cells * a, cells * a) };
        int atom = 0;
        for (int i = 0; i < cells; i++)
            for (int j = 0; j < cells; j++)
                for (int k = 0; k < cells; k++)
                    foreach (var (u, v, w) in new[] { (0.0, 0.0, 0.0), (0.5, 0.5, 0.0), (0.5, 0.0, 0.5), (0.0, 0.5, 0.5) })
                    {
                        frame.Ids[atom] = atom + 1;
                        frame.X[atom] = (float)((i + u) * a + 0.08 * (random.NextDouble() - 0.5));
                        frame.Y[atom] = (float)((j + v) * a + 0.08 * (random.NextDouble() - 0.5));
                        frame.Z[atom] = (float)((k + w) * a + 0.08 * (random.NextDouble() - 0.5));
                        atom++;
                    }
        using var model = ClassifierModel.Load("lj");
        var rows = model.Featurizer.Compute(frame);
        int q6 = model.File.Features.Names.ToList().IndexOf("avg_q6");
        var expected = Enumerable.Range(0, rows.Count).Where(r => rows.Defined[r]).Average(r => rows.Values[r * rows.Width + q6]);

        var twoCores = await new FrameSummarizer(model, cores: new Analysis.Parallelism.CoreBudget(2)).SummarizeAsync("fcc", frame);
        var oneCore = await new FrameSummarizer(model, cores: new Analysis.Parallelism.CoreBudget(1)).SummarizeAsync("fcc", frame);

        Assert.Equal(70304, twoCores.Count);
        Assert.Equal(expected, twoCores.MeanQ6!.Value, 1e-12);
        Assert.Equal(twoCores.MeanQ6, oneCore.MeanQ6);
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
