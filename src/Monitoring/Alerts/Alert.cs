namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// A rule that fired for a run: once per (rule, run, occurrence), where the occurrence is a sequence number of the run's
/// updates fixed by what the run recorded (see <see cref="AlertEvaluator"/>), so <see cref="Id"/> is the same whenever and
/// however often the updates are evaluated. Served by <c>GET /api/alerts</c>, published on the alerts stream, posted to
/// webhooks (<see cref="WebhookPayload"/>).
/// </summary>
public sealed record Alert
{
    /// <summary><c>{rule}/{run}/{occurrence}</c>.</summary>
    public required string Id { get; init; }

    public required string Rule { get; init; }

    public required string RunId { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required string Message { get; init; }

    /// <summary>The run's update the rule fired on: an event's, the frame's that completed a streak, or the last frame's before a silence.</summary>
    public required long Occurrence { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>The update the alert concerns (the same as <see cref="Occurrence"/>).</summary>
    public required long Sequence { get; init; }

    public long? Frame { get; init; }

    public long? Step { get; init; }

    /// <summary>The numbers behind it: the event's values, or the quantity and its threshold, or the silence in seconds.</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>The event an event rule fired on; null otherwise.</summary>
    public RunEvent? Event { get; init; }

    public AlertState State { get; init; } = AlertState.Open;

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? Comment { get; init; }

    /// <summary>Until when no new alert of this rule is raised for this run.</summary>
    public DateTimeOffset? SnoozedUntil { get; init; }

    public static string IdOf(string rule, string runId, long occurrence) => $"{rule}/{runId}/{occurrence}";
}
