using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Core;
using StreamMonitor.Grains.Pipeline;
using StreamMonitor.Ingest;
using StreamMonitor.Ingest.Tailing;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// A run's frame pipeline, on the thread pool (never on the grain scheduler): tails the trajectory from a checkpoint,
/// summarises each frame (classifying through the silo's <see cref="SharedModels"/>, so the rows of all runs on a
/// model share its batches) and reports summaries, file changes and its end back to the run grain through grain calls,
/// one at a time and in file order. Stopped by <see cref="DisposeAsync"/> (the grain's deactivation).
/// </summary>
public sealed class RunPipeline : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly string _runId;
    private readonly RunConfig _config;
    private readonly Checkpoint? _resume;
    private readonly IRunGrain _grain;
    private readonly SharedModels _models;
    private readonly ILogger _logger;

    private RunPipeline(string runId, RunConfig config, Checkpoint? resume, IRunGrain grain, SharedModels models, ILogger logger)
    {
        _runId = runId;
        _config = config;
        _resume = resume;
        _grain = grain;
        _models = models;
        _logger = logger;
    }

    /// <summary>Completes when the pipeline has ended (end of file, failure or stop).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts following the run's trajectory from <paramref name="resume"/> (null: from the start).</summary>
    public static RunPipeline Start(string runId, RunConfig config, Checkpoint? resume, IRunGrain grain, SharedModels models, ILogger logger)
    {
        var pipeline = new RunPipeline(runId, config, resume, grain, models, logger);
        pipeline.Completion = Task.Run(() => pipeline.RunAsync(pipeline._cts.Token), CancellationToken.None);
        return pipeline;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        string? error = null;
        try
        {
            var summarizer = _models.CreateSummarizer(_config.Model, SummarizerOptions.From(_config.Summary ?? new SummarySettings()));
            var options = new TailOptions { Follow = true, Format = TrajectoryFormats.ByName(_config.Format), IdleTimeout = _config.IdleTimeout };
            await foreach (var item in SummaryFeed.FollowAsync(_runId, summarizer, _config.TrajectoryPath, options, _resume, ct).ConfigureAwait(false))
            {
                if (item.Summary is { } summary) await _grain.ReportFrame(summary, item.After!).ConfigureAwait(false);
                else await _grain.ReportFileChange(item.ChangeKind!, item.ChangeMessage!).ConfigureAwait(false);
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            return; // deactivation: the next activation resumes from the persisted checkpoint
        }
        catch (Exception e)
        {
            _logger.LogError(e, "run {RunId}: pipeline failed", _runId);
            error = e.Message;
        }

        try
        {
            await _grain.ReportEnd(error).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(e, "run {RunId}: could not report the end of the pipeline", _runId);
        }
        catch (Exception)
        {
            // stopping anyway
        }
    }

    /// <summary>
    /// Stops the pipeline without waiting for it: it may be blocked in a call to the deactivating grain, which it
    /// could not finish. A report still in flight is ignored by the grain's frame-sequence check.
    /// </summary>
    public async ValueTask DisposeAsync() => await _cts.CancelAsync().ConfigureAwait(false);
}
