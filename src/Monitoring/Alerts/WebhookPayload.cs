namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// The JSON body posted to a webhook for an alert (its <c>webhook_payload</c> in the schema): the alert's facts and a
/// link to the run's page. <see cref="Id"/> is the alert's, the same for every attempt, so a receiver drops repeats.
/// </summary>
public sealed record WebhookPayload
{
    public required string Id { get; init; }
    public required string Rule { get; init; }
    public required string RunId { get; init; }
    public required AlertSeverity Severity { get; init; }
    public required string Message { get; init; }
    public required long Occurrence { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public required long Sequence { get; init; }
    public long? Frame { get; init; }
    public long? Step { get; init; }
    public required IReadOnlyDictionary<string, double> Values { get; init; }
    public RunEvent? Event { get; init; }

    /// <summary>The run's page: <c>{public_url}/runs/{id}</c>.</summary>
    public required string Link { get; init; }

    public static WebhookPayload Of(Alert alert, string publicUrl) => new()
    {
        Id = alert.Id,
        Rule = alert.Rule,
        RunId = alert.RunId,
        Severity = alert.Severity,
        Message = alert.Message,
        Occurrence = alert.Occurrence,
        RaisedAt = alert.RaisedAt,
        Sequence = alert.Sequence,
        Frame = alert.Frame,
        Step = alert.Step,
        Values = alert.Values,
        Event = alert.Event,
        Link = $"{publicUrl.TrimEnd('/')}/runs/{Uri.EscapeDataString(alert.RunId)}",
    };
}
