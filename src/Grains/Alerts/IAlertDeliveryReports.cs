using StreamMonitor.Contracts.Alerts;

namespace StreamMonitor.Grains.Alerts;

/// <summary>How the alert engine's webhook deliveries, made off its scheduler, report back to it; only the engine itself calls this.</summary>
public interface IAlertDeliveryReports : IGrainWithStringKey
{
    /// <summary>A round of attempts of one outbox item ended (delivered, or every attempt of the round failed).</summary>
    Task ReportDelivery(string key, IReadOnlyList<WebhookDelivery> attempts);
}
