using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Contracts.Metrics;
using StreamMonitor.Grains.Metrics;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>The server's side of metrics: the exporter's options from the server's (<c>--influx</c>), waking it at start, and each silo's health.</summary>
public static class MetricsHosting
{
    public static IServiceCollection AddMetrics(this IServiceCollection services, ServerOptions options)
    {
        services.Configure<MetricsExporterOptions>(o =>
        {
            o.Influx = options.Influx;
            o.ResumePeriod = options.ResumePeriod;
        });
        if (options.Influx is not null)
        {
            GrainWaker.Add(services, "the metrics exporter", grains => grains.GetGrain<IMetricsExporterGrain>(IMetricsExporterGrain.Key).Start());
            services.AddHostedService<SiloHealthReporter>();
        }
        return services;
    }
}
