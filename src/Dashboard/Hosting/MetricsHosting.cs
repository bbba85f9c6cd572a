using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Metrics;
using StreamMonitor.Grains.Metrics;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>The server's side of metrics: the exporter's options from the server's (<c>--influx</c>), and waking it at start.</summary>
public static class MetricsHosting
{
    public static IServiceCollection AddMetrics(this IServiceCollection services, ServerOptions options)
    {
        services.Configure<MetricsExporterOptions>(o =>
        {
            o.Influx = options.Influx;
            o.ResumePeriod = options.ResumePeriod;
        });
        if (options.Influx is not null) services.AddHostedService<MetricsExporterStarter>();
        return services;
    }

    /// <summary>Wakes the exporter once the silo is up; in a cluster every silo does, and Orleans keeps the one activation.</summary>
    private sealed class MetricsExporterStarter(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<MetricsExporterStarter> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource();
            using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(stoppingToken);
            try
            {
                await grains.GetGrain<IMetricsExporterGrain>(IMetricsExporterGrain.Key).Start();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "the metrics exporter could not be started; the next run's update starts it");
            }
        }
    }
}
