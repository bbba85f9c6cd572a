using StreamMonitor.Classification.Batching;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>One model per process, one batcher in front of it, a featurizer per run.</summary>
public sealed class SharedModelsTests : IDisposable
{
    private readonly TempDirectory _temp = new("streammonitor-shared-models-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Runs_on_one_model_share_its_network_and_batches_and_get_the_same_summaries_as_a_model_of_their_own()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 300, dumpEvery: 100);
        await using var models = new SharedModels();
        Assert.Same(models.Get("lj"), models.Get("lj"));
        Assert.Same(models.Get("lj"), models.Get(Classification.Models.ModelCatalog.Resolve("lj")));
        Assert.Equal(1, models.Count);

        var one = models.CreateSummarizer("lj");
        var two = models.CreateSummarizer("lj");
        using var alone = Classification.Models.ClassifierModel.Load("lj");
        var reference = new FrameSummarizer(alone);
        using var reader = TrajectoryReader.Open(dump);
        foreach (var frame in reader.ReadAll())
        {
            using (frame)
            {
                var both = await Task.WhenAll(one.SummarizeAsync("a", frame).AsTask(), two.SummarizeAsync("b", frame).AsTask());
                var expected = await reference.SummarizeAsync("a", frame);
                Assert.All(both, s => Assert.Equal(expected.ClassCounts, s.ClassCounts));
                Assert.All(both, s => Assert.Equal(expected.NMax, s.NMax));
            }
        }
        var batcher = models.Get("lj").Batcher!;
        Assert.Equal(4 * 2 * 500, batcher.Rows); // every row of both runs went through the shared batcher
        Assert.InRange(batcher.Batches, 1, 8);
    }

    [Fact]
    public async Task One_batch_holds_the_rows_of_more_runs_than_there_are_compute_slots()
    {
        const int runs = 4;
        using var slots = new ComputeSlots(1);
        // The batch is flushed only once every run's rows are in it; its delay is far longer than the test. A summary that
        // kept its slot while waiting for the network would hold the only slot until that delay ran out, so this
        // either gets one batch of every run or times out.
        var batching = new MicroBatcherOptions { MaxBatchRows = runs * UreaTrajectories.Molecules, MaxDelay = TimeSpan.FromMinutes(10) };
        await using var models = new SharedModels(batching, slots.Budget);
        var summarizers = Enumerable.Range(0, runs).Select(_ => models.CreateSummarizer("urea-2024")).ToArray();
        using var reader = TrajectoryReader.Open(UreaTrajectories.FormI200K);
        using var frame = reader.Read()!;

        var summaries = await Task.WhenAll(summarizers.Select((s, i) => s.SummarizeAsync($"run{i}", frame, slots).AsTask()))
            .WaitAsync(TimeSpan.FromSeconds(60));

        var batcher = models.Get("urea-2024").Batcher!;
        Assert.Equal(1, batcher.Batches);
        Assert.Equal(runs, batcher.LargestBatchRequests);
        Assert.True(batcher.LargestBatchRequests > slots.Width);
        Assert.All(summaries, s => Assert.Equal(UreaTrajectories.Molecules, s.Count));
        Assert.All(summaries, s => Assert.Equal(summaries[0].ClassCounts, s.ClassCounts));
    }

    [Fact]
    public async Task A_missing_model_is_an_error_naming_it_and_is_not_remembered()
    {
        await using var models = new SharedModels();
        var missing = _temp.File("later.model.json");
        var e = Assert.Throws<FileNotFoundException>(() => models.Get(missing));
        Assert.Contains("later.model.json", e.Message);
        Assert.Equal(0, models.Count);
        File.Copy(Classification.Models.ModelCatalog.Resolve("lj"), missing);
        Assert.Equal(["fcc", "hcp", "bcc", "ico", "liquid"], models.Get(missing).Model.Classes);
    }
}
