using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Campaigns;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Wakes every live run and every running campaign once the silo is up, so runs resume from their checkpoints and
/// campaigns watch their shots again after a restart, instead of waiting for someone to call them (or for their
/// reminders). Ended ones stay asleep.
/// </summary>
internal sealed class StartupResumer(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<StartupResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await GrainWaker.WhenStartedAsync(lifetime, stoppingToken);
        await WakeAsync("run", await grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).Live(), async id =>
        {
            var status = await grains.GetGrain<IRunGrain>(id).GetStatus();
            return $"{status.State}, {status.FramesProcessed} frames processed";
        });
        await WakeAsync("campaign", await grains.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.Key).Running(), async id =>
        {
            var status = await grains.GetGrain<ICampaignGrain>(id).GetStatus();
            return $"{status?.Phase}, {status?.Counts.Concluded} of {status?.Counts.Total} shots concluded";
        });
    }

    private async Task WakeAsync(string what, IReadOnlyList<string> ids, Func<string, Task<string>> wake)
    {
        foreach (var id in ids)
        {
            try
            {
                logger.LogInformation("{What} {Id}: {State}", what, id, await wake(id));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{What} {Id} could not be resumed", what, id);
            }
        }
    }
}
