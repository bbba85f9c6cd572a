using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>Starts shots one way (<see cref="LaunchKinds"/>) and tells whether a launched one is still going.</summary>
public interface IShotLauncher
{
    /// <summary>Starts the shot in its folder; the record comes back with what identifies it (pid, job id). Failure is a <see cref="ShotLaunchException"/>.</summary>
    Task<ShotRecord> LaunchAsync(LaunchCommand command, CampaignDefinition campaign, ShootingPoint point, ShotRecord shot, CancellationToken cancellationToken);

    /// <summary>True while its process or job is still there, false once it is gone, null when that cannot be told.</summary>
    /// <summary>Asks the shot's engine to end now (SIGTERM to a local process); false where this launcher cannot.</summary>
    Task<bool> TerminateAsync(ShotRecord shot);

    Task<bool?> IsAliveAsync(LaunchCommand command, CampaignDefinition campaign, ShootingPoint point, ShotRecord shot, CancellationToken cancellationToken);
}
