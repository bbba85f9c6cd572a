using Microsoft.Extensions.DependencyInjection;
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
        // Woken at start so it follows the runs from the start and catches up on what it missed while the server was down.
        GrainWaker.Add(services, "the alert engine", grains => grains.GetGrain<IAlertEngineGrain>(IAlertEngineGrain.Key).Start());
        return services;
    }
}
