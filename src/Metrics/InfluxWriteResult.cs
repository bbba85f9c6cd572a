using System.Net.Http.Headers;

namespace StreamMonitor.Metrics;

/// <summary>What became of one write request.</summary>
public enum InfluxWriteOutcome
{
    /// <summary>InfluxDB took every line.</summary>
    Written,

    /// <summary>InfluxDB refused the data itself (400, 413, 422): sending it again cannot help.</summary>
    BadData,

    /// <summary>InfluxDB was unreachable, slow, overloaded or misconfigured (5xx, timeout, 429, 401, 404, ...): try again later.</summary>
    Transient,
}

/// <param name="Status">The HTTP status, 0 when no answer came.</param>
/// <param name="RetryAfter">The server's Retry-After, when it gave one.</param>
public readonly record struct InfluxWriteResult(InfluxWriteOutcome Outcome, int Status, string? Error, TimeSpan? RetryAfter)
{
    public static InfluxWriteResult Ok(int status) => new(InfluxWriteOutcome.Written, status, null, null);

    public static InfluxWriteResult Unreachable(string error) => new(InfluxWriteOutcome.Transient, 0, error, null);

    public static InfluxWriteResult FromStatus(int status, string? error, TimeSpan? retryAfter) => new(
        status is >= 200 and < 300 ? InfluxWriteOutcome.Written
        : status is 400 or 413 or 422 ? InfluxWriteOutcome.BadData
        : InfluxWriteOutcome.Transient,
        status, error, retryAfter);

    public static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    public override string ToString() => Status == 0 ? $"no answer: {Error}" : $"HTTP {Status}{(Error is null ? "" : $": {Error}")}";
}
