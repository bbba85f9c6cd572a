namespace StreamMonitor.Monitoring.Alerts;

/// <summary>How urgent an alert is; the page and webhook receivers decide what each level means to them.</summary>
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}
