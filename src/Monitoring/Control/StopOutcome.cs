
namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// What one stop attempt did, in one line, and why it failed if it did. Strategies return this instead of throwing so
/// that a failed stop (process gone, command exited non-zero) is recorded like a successful one.
/// </summary>
public sealed record StopOutcome
{
    /// <summary>The label value that marks a successful attempt in <see cref="ToEvent"/>.</summary>
    public const string SucceededLabel = "succeeded";

    /// <summary>The label value that marks a failed attempt in <see cref="ToEvent"/>.</summary>
    public const string FailedLabel = "failed";

    /// <summary>One of <see cref="StopStrategyKinds"/>.</summary>
    public required string Strategy { get; init; }

    public required bool Success { get; init; }

    /// <summary>What was done, e.g. "created stop file /x/STOP", "sent SIGTERM to pid 1234", "ran scancel 5678: exit 0".</summary>
    public required string Description { get; init; }

    /// <summary>Why it failed; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>What a command printed (stdout, then stderr), truncated; null for strategies that run nothing.</summary>
    public string? Output { get; init; }

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    public static StopOutcome Succeeded(string strategy, string description, string? output = null) =>
        new() { Strategy = strategy, Success = true, Description = description, Output = output };

    public static StopOutcome Failed(string strategy, string description, string error, string? output = null) =>
        new() { Strategy = strategy, Success = false, Description = description, Error = error, Output = output };

    /// <summary>
    /// The audit record of this attempt: a <see cref="RunEventKinds.Stop"/> event whose message is the description (and
    /// the error, on failure) and whose labels say who asked, why, with which strategy and whether it worked.
    /// </summary>
    public RunEvent ToEvent(StopRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var labels = new Dictionary<string, string>
        {
            ["by"] = request.RequestedBy,
            ["reason"] = request.Reason,
            ["strategy"] = Strategy,
            ["outcome"] = Success ? SucceededLabel : FailedLabel,
        };
        if (request.From is not null) labels["from"] = request.From;
        if (Error is not null) labels["error"] = Error;
        return new RunEvent
        {
            RunId = request.RunId,
            Kind = RunEventKinds.Stop,
            Message = OneLine(Success || Error is null ? Description : $"{Description}: failed: {Error}"),
            Labels = labels,
            At = At,
        };
    }

    private static string OneLine(string text) =>
        string.Join(" | ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
