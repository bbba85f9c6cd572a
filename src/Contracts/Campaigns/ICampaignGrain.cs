using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Contracts.Campaigns;

/// <summary>
/// One shooting campaign, keyed by its id: launches its shots with the server's launch command, watches each as a run
/// that stops as soon as it commits to a basin, records every outcome, and after a restart of the server carries on where
/// it was (decided shots are not run again, running ones are watched again, a shot whose process is gone is launched
/// again as a new attempt). Its record is kept in its state and, for people and the CLI, in its folder's
/// <c>campaign.json</c>.
/// </summary>
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the campaign. The same definition again returns its status (and resumes it); a different one under the same
    /// id is a <c>RunConflictException</c>; a definition the server refuses (a path outside its data roots, an unknown
    /// launch command, a missing configuration) is an <see cref="ArgumentException"/>.
    /// </summary>
    [ResponseTimeout("00:02:00")]
    Task<CampaignStatus> Start(CampaignDefinition definition, Actor by);

    /// <summary>The campaign's record; null when no campaign has this id.</summary>
    Task<CampaignStatus?> GetStatus();

    /// <summary>Stops every running shot (through its stop file) and launches no more; an unknown campaign is a <see cref="KeyNotFoundException"/>.</summary>
    [ResponseTimeout("00:05:00")]
    Task<CampaignStatus> Cancel(Actor by);
}
