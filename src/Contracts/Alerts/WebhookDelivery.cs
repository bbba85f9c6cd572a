namespace StreamMonitor.Contracts.Alerts;

/// <summary>One attempt to post an alert to a webhook, in the delivery log (<c>GET /api/alerts/deliveries</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookDelivery
{
    public const string Delivered = "delivered";
    public const string Retrying = "retrying";
    public const string Failed = "failed";

    [Id(0)] public required string AlertId { get; init; }

    [Id(1)] public required string Webhook { get; init; }

    /// <summary>1 for the first attempt of this alert to this webhook, counting on across rounds and restarts.</summary>
    [Id(2)] public required int Attempt { get; init; }

    [Id(3)] public required DateTimeOffset At { get; init; }

    /// <summary>The HTTP status the receiver answered; null when no answer came.</summary>
    [Id(4)] public int? StatusCode { get; init; }

    /// <summary>Why it failed (a refused connection, a timeout, a non-2xx status); null when delivered.</summary>
    [Id(5)] public string? Error { get; init; }

    [Id(6)] public required double DurationMs { get; init; }

    /// <summary><see cref="Delivered"/>, <see cref="Retrying"/> (tried again later) or <see cref="Failed"/> (given up).</summary>
    [Id(7)] public required string Outcome { get; init; }
}
