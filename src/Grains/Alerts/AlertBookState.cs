using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Grains.Alerts;

/// <summary>
/// The alerts, what was raised, and the deliveries still to make: written together, at once, for every alert raised,
/// so that no restart can raise an alert again or lose its delivery.
/// </summary>
[GenerateSerializer]
public sealed class AlertBookState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public List<Alert> Alerts { get; set; } = [];

    [Id(1)] public AlertMemory Memory { get; set; } = new();

    [Id(2)] public List<OutboxItem> Outbox { get; set; } = [];
}
