using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Wakes a cluster-wide grain (the alert engine, the metrics exporter) once the silo is up, so it follows the runs from the
/// start. In a cluster every silo does; Orleans keeps the one activation. A failure is logged: the grain's first call or
/// the next run's update wakes it instead.
/// </summary>
internal sealed class GrainWaker(string what, Func<IGrainFactory, Task> wake, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<GrainWaker> logger)
    : BackgroundService
{
    public static void Add(IServiceCollection services, string what, Func<IGrainFactory, Task> wake) =>
        services.AddSingleton<IHostedService>(provider => new GrainWaker(what, wake, provider.GetRequiredService<IGrainFactory>(),
            provider.GetRequiredService<IHostApplicationLifetime>(), provider.GetRequiredService<ILogger<GrainWaker>>()));

    /// <summary>Completes once the application has started (the silo is up and Kestrel listens).</summary>
    public static async Task WhenStartedAsync(IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(lifetime, stoppingToken);
        try
        {
            await wake(grains);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "{What} could not be started", what);
        }
    }
}
