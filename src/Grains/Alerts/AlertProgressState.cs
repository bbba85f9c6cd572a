using StreamMonitor.Contracts.Alerts;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Grains.Alerts;

/// <summary>
/// What the alert engine writes at most once a second: how far it has evaluated each run, and the delivery log. Losing
/// the last second of it to a crash costs a re-evaluation, which raises nothing twice (<see cref="AlertBookState"/>).
/// </summary>
[GenerateSerializer]
public sealed class AlertProgressState
{
    [Id(0)] public Dictionary<string, RunAlertState> Runs { get; set; } = [];

    /// <summary>Oldest first.</summary>
    [Id(1)] public List<WebhookDelivery> Deliveries { get; set; } = [];
}
