using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Grains.Alerts;

/// <summary>The alert rules, by id.</summary>
[GenerateSerializer]
public sealed class AlertRulesState
{
    [Id(0)] public Dictionary<string, AlertRule> Rules { get; set; } = [];
}
