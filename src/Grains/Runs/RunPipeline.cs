using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Ingest;
using StreamMonitor.Ingest.Tailing;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// A run's frame pipeline, on the thread pool (never on the grain scheduler): tails the trajectory from a checkpoint,
/// summarises each frame (classifying through the silo's <see cref="SharedModels"/>, so the rows of all runs on a
/// model share its batches) and reports summaries, file changes and its end back to the run grain through grain calls,
/// one at a time and in file order. Stopped by <see cref="DisposeAsync"/> (the grain's deactivation).
/// </summary>
/// <remarks>
/// A report that fails (a storage hiccup, a timeout while the grain carries out a slow stop) is retried with backoff
/// until it goes through or the pipeline is stopped: the grain drops a frame it has already recorded, so a retry never
/// records twice, and only the trajectory itself (bad data) can fail a run. Reports carry <see cref="Id"/>, so a grain
/// ignores a pipeline that is not its own (one still running down after a deactivation).
/// </remarks>
public sealed class RunPipeline : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(10);

    private static readonly ResiliencePipeline EndReports = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        MaxRetryAttempts = 4,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = FirstRetryDelay,
    }).Build();

    private readonly CancellationTokenSource _cts = new();
    private readonly ResiliencePipeline _reports;
    private readonly string _runId;
    private readonly RunConfig _config;
    private readonly Checkpoint? _resume;
    private readonly IRunReports _grain;
    private readonly SharedModels _models;
    private readonly ComputeSlots? _slots;
    private readonly ILogger _logger;
    private StructureCapture? _structure;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _busy;

    private RunPipeline(string runId, RunConfig config, Checkpoint? resume, IRunReports grain, SharedModels models, ComputeSlots? slots, ILogger logger)
    {
        _slots = slots;
        _runId = runId;
        _config = config;
        _resume = resume;
        _grain = grain;
        _models = models;
        _logger = logger;
        _reports = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !_cts.IsCancellationRequested),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FirstRetryDelay,
            MaxDelay = LongestRetryDelay,
            OnRetry = retry =>
            {
                _logger.LogWarning(retry.Outcome.Exception, "run {RunId}: report to the run grain failed (attempt {Attempt}); retrying in {Delay}",
                    _runId, retry.AttemptNumber + 1, retry.RetryDelay);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>Names this pipeline in its reports.</summary>
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>
    /// How long the pipeline has had nothing to do: no frame or file change from the trajectory, none being summarised
    /// or reported. The run grain ends an idle run with this (its file stopped growing).
    /// </summary>
    public TimeSpan IdleFor => Volatile.Read(ref _busy) > 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastActivity));

    /// <summary>
    /// The latest summarised frame's largest cluster and its surroundings, at most <paramref name="maxAtoms"/> rows; null
    /// before the first frame. After the pipeline has ended, its last frame's.
    /// </summary>
    public RunStructure? Structure(int maxAtoms) => Volatile.Read(ref _structure)?.Latest(maxAtoms);

    /// <summary>Completes when the pipeline has ended (end of file, failure or stop).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts following the run's trajectory from <paramref name="resume"/> (null: from the start).</summary>
    public static RunPipeline Start(string runId, RunConfig config, Checkpoint? resume, IRunReports grain, SharedModels models, ComputeSlots? slots,
        ILogger logger)
    {
        var pipeline = new RunPipeline(runId, config, resume, grain, models, slots, logger);
        pipeline.Completion = Task.Run(() => pipeline.RunAsync(pipeline._cts.Token), CancellationToken.None);
        return pipeline;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        string? error = null;
        try
        {
            var summarizer = _models.CreateSummarizer(_config.Model, _config.ToSummarizerOptions());
            Volatile.Write(ref _structure, summarizer.Structure);
            var options = new TailOptions { Follow = true, Format = TrajectoryFormats.ByName(_config.Format) };
            var feed = SummaryFeed.FollowAsync(_runId, summarizer, _config.TrajectoryPath, options, _resume, _slots, ct, OnRead);
            await foreach (var item in feed.ConfigureAwait(false))
            {
                ct.ThrowIfCancellationRequested(); // a stopped pipeline reports nothing more
                try
                {
                    if (item.Summary is { } summary) await ReportAsync(g => g.ReportFrame(Id, summary, item.After!), ct).ConfigureAwait(false);
                    else await ReportAsync(g => g.ReportFileChange(Id, item.ChangeKind!, item.ChangeMessage!), ct).ConfigureAwait(false);
                }
                finally
                {
                    Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
                    Interlocked.Exchange(ref _busy, 0);
                }
            }
            // The tailer ends quietly when stopped, so a feed that ran out may still be a stop, which reports nothing.
            ct.ThrowIfCancellationRequested();
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
        finally
        {
            await _cts.CancelAsync().ConfigureAwait(false); // the tailer stops and lets go of the file
        }

        try
        {
            // A few tries: a grain busy with a slow stop command may time the first out. If none gets through, the grain
            // notices the ended pipeline itself and fails the run.
            await EndReports.ExecuteAsync(async _ => await _grain.ReportEnd(Id, error).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "run {RunId}: could not report the end of the pipeline", _runId);
        }
    }

    /// <summary>The tailer has read a frame or a change: the run is busy with it until it is reported.</summary>
    private void OnRead()
    {
        Interlocked.Exchange(ref _busy, 1);
        Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
    }

    private async Task ReportAsync(Func<IRunReports, Task> report, CancellationToken ct) =>
        await _reports.ExecuteAsync(async _ => await report(_grain).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>
    /// Stops the pipeline without waiting for it: it may be blocked in a call to the deactivating grain, which it
    /// could not finish. A report still in flight is ignored, being from a pipeline the grain no longer has.
    /// </summary>
    public async ValueTask DisposeAsync() => await _cts.CancelAsync().ConfigureAwait(false);
}
