namespace StreamMonitor.Grains.Alerts;

/// <summary>A delivery of an alert to a webhook not yet made, persisted with the alert so that a restart retries it.</summary>
[GenerateSerializer]
public sealed class OutboxItem
{
    [Id(0)] public required string AlertId { get; set; }

    [Id(1)] public required string Webhook { get; set; }

    /// <summary>The exact body, made once, so every attempt posts the same bytes.</summary>
    [Id(2)] public required string Body { get; set; }

    [Id(3)] public DateTimeOffset Since { get; set; }

    /// <summary>Attempts made so far, over all rounds.</summary>
    [Id(4)] public int Attempts { get; set; }

    [Id(5)] public DateTimeOffset NextRoundAt { get; set; }

    public string Key => $"{Webhook} {AlertId}";
}
