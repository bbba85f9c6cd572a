namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>Where a shot stands. A shot is concluded once it is <see cref="A"/>, <see cref="B"/>, <see cref="Undecided"/>, <see cref="Lost"/> or <see cref="Failed"/>.</summary>
public enum ShotOutcome
{
    /// <summary>Not launched yet.</summary>
    Pending,

    /// <summary>Launched; its trajectory is being watched.</summary>
    Running,

    /// <summary>Committed to the first basin.</summary>
    A,

    /// <summary>Committed to the second basin.</summary>
    B,

    /// <summary>Reached the maximum length inside neither basin.</summary>
    Undecided,

    /// <summary>Its process went away before it committed or reached the maximum length; launched again as a new attempt.</summary>
    Lost,

    /// <summary>Could not be launched, or was lost on its last allowed attempt.</summary>
    Failed,

    /// <summary>The campaign was cancelled before it concluded.</summary>
    Cancelled,
}
