using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Streams;

/// <summary>
/// Publishes one run's updates in order: each is retried with backoff when the stream refuses it, and what still fails
/// stays queued, in order, for the next flush rather than being dropped. Only when more than <see cref="Capacity"/> wait
/// (the streams have been down a long time) are the oldest let go, counted: they remain in the run's kept updates, where
/// a consumer that sees the gap in the sequence numbers fetches them. Not thread-safe: the run grain's scheduler calls it.
/// </summary>
public sealed class RunUpdatePublisher
{
    /// <summary>The meter of the runs' delivery (OpenTelemetry reads it by this name).</summary>
    public const string MeterName = "StreamMonitor.Runs";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("streammonitor.runs.updates_published", description: "Run updates published on the streams");
    private static readonly Counter<long> Retried = Meter.CreateCounter<long>("streammonitor.runs.publish_retries", description: "Publish attempts retried after the stream refused an update");
    private static readonly Counter<long> Deferred = Meter.CreateCounter<long>("streammonitor.runs.publish_deferred", description: "Flushes that gave up for now and kept their updates queued");
    private static readonly Counter<long> Abandoned = Meter.CreateCounter<long>("streammonitor.runs.updates_unpublished", description: "Updates let go from a full queue; consumers fetch them from the run");

    private readonly Queue<RunUpdate> _queue = new();
    private readonly Func<RunUpdate, Task> _publish;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly string _runId;

    /// <param name="publish">Puts one update on the streams; throws when they refuse it.</param>
    public RunUpdatePublisher(string runId, Func<RunUpdate, Task> publish, ILogger logger, int capacity = 1024, int retries = 3, TimeSpan? firstDelay = null)
    {
        _runId = runId;
        _publish = publish ?? throw new ArgumentNullException(nameof(publish));
        _logger = logger;
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be positive");
        _retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            MaxRetryAttempts = retries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = firstDelay ?? TimeSpan.FromMilliseconds(20),
            OnRetry = _ =>
            {
                Retried.Add(1);
                RetryCount++;
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public int Capacity { get; }

    /// <summary>Updates waiting to be published.</summary>
    public int Pending => _queue.Count;

    /// <summary>Attempts retried so far (this publisher's share of the counter).</summary>
    public long RetryCount { get; private set; }

    /// <summary>Updates let go from a full queue so far.</summary>
    public long AbandonedCount { get; private set; }

    public void Add(RunUpdate update)
    {
        _queue.Enqueue(update);
        while (_queue.Count > Capacity)
        {
            _queue.Dequeue();
            Abandoned.Add(1);
            AbandonedCount++;
        }
    }

    /// <summary>Publishes what is queued, oldest first; true when the queue is empty afterwards.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        while (_queue.TryPeek(out var update))
        {
            // The caller is a grain: every continuation, Polly's between retries included, must come back to its scheduler.
            var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, cancellationToken);
            try
            {
                await _retry.ExecuteAsync(static async (_, state) => await state.Publish(state.Update).ConfigureAwait(true), context, (Publish: _publish, Update: update))
                    .ConfigureAwait(true);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Deferred.Add(1);
                _logger.LogWarning(e, "run {RunId}: could not publish update {Sequence}; {Pending} updates stay queued for the next attempt",
                    _runId, update.Sequence, _queue.Count);
                return false;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
            _queue.Dequeue();
            Published.Add(1);
        }
        return true;
    }
}
