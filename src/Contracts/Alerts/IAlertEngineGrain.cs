using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Contracts.Alerts;

/// <summary>
/// The cluster's one alert evaluator (key <see cref="Key"/>): it follows every run's updates on the all-runs stream,
/// applies the rules, keeps the alerts, publishes each on <c>RunStreams.Alerts</c> and posts it to the rule's webhooks.
/// Each alert is raised once per (rule, run, occurrence), also across restarts. Rule edits, acknowledgements and
/// snoozes are recorded in the audit log with who made them.
/// </summary>
public interface IAlertEngineGrain : IGrainWithStringKey
{
    public const string Key = "engine";

    /// <summary>The most alerts or deliveries one call returns.</summary>
    public const int MaxPage = 1000;

    /// <summary>Wakes the engine (at silo start): it subscribes to the runs and catches up on what it missed.</summary>
    Task Start();

    Task<IReadOnlyList<AlertRule>> GetRules();

    /// <summary>Creates or replaces a rule; an invalid one is an <see cref="ArgumentException"/> naming each bad field.</summary>
    Task<AlertRule> PutRule(AlertRule rule, Actor by);

    /// <summary>Deletes a rule; false when there was none.</summary>
    Task<bool> DeleteRule(string id, Actor by);

    /// <summary>
    /// Alerts newest first, in <paramref name="state"/> (null: all), of <paramref name="runId"/> (null: every run), older
    /// than the alert <paramref name="after"/> (null: from the newest), at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Alert>> List(AlertState? state, string? runId, string? after, int limit);

    /// <summary>Acknowledges an open alert; an unknown one is a <see cref="KeyNotFoundException"/>, one acknowledged already an <see cref="InvalidOperationException"/>.</summary>
    Task<Alert> Acknowledge(string alertId, string? comment, Actor by);

    /// <summary>
    /// Raises no new alert of the alert's rule for its run for <paramref name="duration"/>, and acknowledges the alert if
    /// it is open; an unknown alert is a <see cref="KeyNotFoundException"/>.
    /// </summary>
    Task<Alert> Snooze(string alertId, TimeSpan duration, string? comment, Actor by);

    /// <summary>The webhook delivery log, newest attempt first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookDelivery>> Deliveries(int limit);
}
