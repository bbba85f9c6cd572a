namespace StreamMonitor.Monitoring.Campaigns;

public enum CampaignPhase
{
    /// <summary>Launching shots and watching them.</summary>
    Running,

    /// <summary>Every shot concluded.</summary>
    Finished,

    /// <summary>Cancelled: running shots were stopped and no more are launched.</summary>
    Cancelled,
}
