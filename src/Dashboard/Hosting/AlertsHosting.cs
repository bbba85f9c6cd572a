using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Alerts;
using StreamMonitor.Grains.Alerts;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>The server's side of alerts: the engine's options from the server's, and waking the engine at start.</summary>
public static class AlertsHosting
{
    public static IServiceCollection AddAlerts(this IServiceCollection services, ServerOptions options)
    {
        services.Configure<AlertEngineOptions>(o =>
        {
            o.Webhooks = options.Webhooks;
            o.PublicUrl = options.PublicBaseUrl;
            o.ResumePeriod = options.ResumePeriod;
        });
        services.AddHostedService<AlertEngineStarter>();
        return services;
    }

    /// <summary>
    /// Wakes the alert engine once the silo is up, so it follows the runs from the start and catches up on what it missed
    /// while the server was down. In a cluster every silo does; Orleans keeps the one activation.
    /// </summary>
    private sealed class AlertEngineStarter(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<AlertEngineStarter> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource();
            using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(stoppingToken);
            try
            {
                await grains.GetGrain<IAlertEngineGrain>(IAlertEngineGrain.Key).Start();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The first call of the alerts API wakes it instead.
                logger.LogWarning(e, "the alert engine could not be started");
            }
        }
    }
}
