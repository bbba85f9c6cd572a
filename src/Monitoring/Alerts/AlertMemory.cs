namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// Which occurrences each (rule, run) has already raised, the newest few kept, and until when each is snoozed: what
/// keeps an alert from being raised twice when updates are evaluated again after a restart. Persisted with the alerts,
/// in the same write as each alert raised.
/// </summary>
public sealed class AlertMemory
{
    /// <summary>By <c>{rule}/{run}</c>: occurrences raised (or suppressed by a snooze), ascending, the newest kept.</summary>
    public Dictionary<string, List<long>> Raised { get; set; } = [];

    /// <summary>By <c>{rule}/{run}</c>: no alert is raised for an occurrence before this time.</summary>
    public Dictionary<string, DateTimeOffset> Snoozed { get; set; } = [];

    public static string KeyOf(string rule, string runId) => $"{rule}/{runId}";

    /// <summary>
    /// Whether <paramref name="occurrence"/> was raised. With <paramref name="kept"/> occurrences remembered, one older
    /// than all of them was raised long ago: occurrences of a (rule, run) only grow.
    /// </summary>
    public bool WasRaised(string key, long occurrence, int kept) =>
        Raised.TryGetValue(key, out var list) && (list.BinarySearch(occurrence) >= 0 || (list.Count >= kept && occurrence < list[0]));

    public void Remember(string key, long occurrence, int kept)
    {
        if (!Raised.TryGetValue(key, out var list)) Raised[key] = list = [];
        int at = list.BinarySearch(occurrence);
        if (at >= 0) return;
        list.Insert(~at, occurrence);
        if (list.Count > kept) list.RemoveRange(0, list.Count - kept);
    }

    public bool IsSnoozed(string key, DateTimeOffset at) => Snoozed.TryGetValue(key, out var until) && at < until;

    /// <summary>Snoozes <paramref name="key"/> until <paramref name="until"/>, and forgets snoozes that have run out by <paramref name="now"/>.</summary>
    public void Snooze(string key, DateTimeOffset until, DateTimeOffset now)
    {
        foreach (var (expired, _) in Snoozed.Where(s => s.Value <= now).ToArray()) Snoozed.Remove(expired);
        Snoozed[key] = until;
    }
}
