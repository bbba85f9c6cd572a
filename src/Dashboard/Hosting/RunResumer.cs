using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Wakes every live run once the silo is up, so runs resume from their checkpoints after a restart instead of waiting for
/// someone to call them (or for their reminders). Ended runs stay asleep.
/// </summary>
internal sealed class RunResumer(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<RunResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        var ids = await grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).Live();
        foreach (var id in ids)
        {
            try
            {
                var status = await grains.GetGrain<IRunGrain>(id).GetStatus();
                logger.LogInformation("run {RunId}: {State}, {Frames} frames processed", id, status.State, status.FramesProcessed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "run {RunId} could not be resumed", id);
            }
        }
    }
}
