using Polly;
using Polly.Retry;

namespace StreamMonitor.Metrics;

/// <summary>
/// Retries a write that failed for a passing reason (<see cref="InfluxWriteOutcome.Transient"/>): exponential backoff
/// with jitter, or as long as the server's Retry-After asks (429, 503), capped. Bad data is never retried.
/// </summary>
public static class InfluxRetry
{
    public const int MaxRetryAttempts = 3;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    public static ResiliencePipeline<InfluxWriteResult> Create(Action<InfluxWriteResult> onRetry) =>
        new ResiliencePipelineBuilder<InfluxWriteResult>()
            .AddRetry(new RetryStrategyOptions<InfluxWriteResult>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.Outcome == InfluxWriteOutcome.Transient),
                MaxRetryAttempts = MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result.RetryAfter is { } asked ? (TimeSpan?)Clamp(asked) : null),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Result);
                    return default;
                },
            })
            .Build();

    private static TimeSpan Clamp(TimeSpan asked) => asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaxRetryAfter ? MaxRetryAfter : asked;
}
