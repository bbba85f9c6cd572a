namespace StreamMonitor.Monitoring.Alerts;

/// <summary>Whether an operator has seen to an alert.</summary>
public enum AlertState
{
    Open,
    Acknowledged,
}
