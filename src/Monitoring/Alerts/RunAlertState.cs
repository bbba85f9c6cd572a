namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// How far the alert rules have looked at one run, and what they remember of it: enough to go on from
/// <see cref="Evaluated"/> after a restart exactly as if there had been none. Persisted by the alert engine.
/// </summary>
public sealed class RunAlertState
{
    /// <summary>The sequence number of the last update evaluated.</summary>
    public long Evaluated { get; set; }

    /// <summary>The update a silence is measured from: the last frame's summary, or the registration before the first frame.</summary>
    public long? AnchorSequence { get; set; }

    public DateTimeOffset? AnchorAt { get; set; }

    /// <summary>The last frame's index and step; null before the first frame.</summary>
    public long? LastFrame { get; set; }

    public long? LastStep { get; set; }

    /// <summary>The run has ended (stopped, finished, failed, removed): silence is expected then.</summary>
    public bool Ended { get; set; }

    /// <summary>Per quantity rule, the consecutive frames its comparison has held so far (absent: none).</summary>
    public Dictionary<string, int> Streaks { get; set; } = [];
}
