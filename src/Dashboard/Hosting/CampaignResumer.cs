using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Campaigns;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Wakes every running campaign once the silo is up, so its shots are watched again (and lost ones launched again) after a
/// restart without waiting for its reminder.
/// </summary>
internal sealed class CampaignResumer(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<CampaignResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        foreach (var id in await grains.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.Key).Running())
        {
            try
            {
                var status = await grains.GetGrain<ICampaignGrain>(id).GetStatus();
                logger.LogInformation("campaign {Campaign}: {Phase}, {Concluded} of {Total} shots concluded", id, status?.Phase, status?.Counts.Concluded, status?.Counts.Total);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "campaign {Campaign} could not be resumed", id);
            }
        }
    }
}
