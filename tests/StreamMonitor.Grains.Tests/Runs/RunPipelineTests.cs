using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Grains.Runs;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Runs;

/// <summary>The pipeline on a real LAMMPS dump, reporting to a stand-in for the run grain that fails on cue.</summary>
public sealed class RunPipelineTests : IDisposable
{
    private readonly TempDirectory _temp = new("streammonitor-pipeline-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_report_that_fails_is_retried_until_it_goes_through_and_the_run_does_not_fail()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 500, dumpEvery: 100);
        var grain = new FlakyGrain(failuresAtFrame: 2, failures: 3);
        await using var models = new SharedModels();
        var config = new RunConfig { TrajectoryPath = dump };

        using var slots = new ComputeSlots(1);
        var pipeline = RunPipeline.Start("flaky", config, null, grain, models, slots, NullLogger.Instance);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (grain.Recorded.Count < 6 && DateTime.UtcNow < deadline) await Task.Delay(50);

        Assert.Equal([0L, 1, 2, 3, 4, 5], grain.Recorded);
        Assert.Equal(3, grain.Failed);
        Assert.All(grain.Pipelines, id => Assert.Equal(pipeline.Id, id));

        // Caught up with a file that no longer grows, the pipeline has nothing to do: the grain ends such a run by this.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.True(pipeline.IdleFor >= TimeSpan.FromSeconds(1), $"idle for {pipeline.IdleFor}");
        await pipeline.DisposeAsync();
        await pipeline.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(grain.Ends); // stopped by its owner, it has nothing to report
    }

    [Fact]
    public async Task Bad_data_ends_the_pipeline_with_an_error_naming_the_file()
    {
        var bad = _temp.File("bad.lammpstrj");
        File.WriteAllText(bad, "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\nmany\n");
        var grain = new FlakyGrain(failuresAtFrame: -1, failures: 0);
        await using var models = new SharedModels();

        var pipeline = RunPipeline.Start("bad", new RunConfig { TrajectoryPath = bad, Format = "lammps" }, null, grain, models, null, NullLogger.Instance);
        await pipeline.Completion.WaitAsync(TimeSpan.FromMinutes(1));

        var end = Assert.Single(grain.Ends);
        Assert.Contains("bad.lammpstrj", end.Error);
        Assert.Empty(grain.Recorded);
    }

    /// <summary>Records what the pipeline reports; the report of one frame throws a few times first, as a storage hiccup would.</summary>
    private sealed class FlakyGrain(long failuresAtFrame, int failures) : IRunReports
    {
        private int _left = failures;

        public List<long> Recorded { get; } = [];
        public int Failed { get; private set; }
        public ConcurrentQueue<(Guid Pipeline, string? Error)> Ends { get; } = new();
        public ConcurrentBag<Guid> Pipelines { get; } = [];

        public Task ReportFrame(Guid pipeline, FrameSummary summary, Checkpoint after)
        {
            Pipelines.Add(pipeline);
            if (summary.Frame == failuresAtFrame && _left > 0)
            {
                _left--;
                Failed++;
                throw new TimeoutException("storage did not answer");
            }
            if (Recorded.Count == 0 || Recorded[^1] < summary.Frame) Recorded.Add(summary.Frame);
            return Task.CompletedTask;
        }

        public Task ReportFileChange(Guid pipeline, string kind, string message) => Task.CompletedTask;

        public Task ReportEnd(Guid pipeline, string? error)
        {
            Ends.Enqueue((pipeline, error));
            return Task.CompletedTask;
        }

    }
}
