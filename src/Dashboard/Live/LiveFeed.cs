using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Dashboard.Live;

/// <summary>
/// Brings every run's updates and every alert to this server's dashboard connections: one subscription per server to
/// the all-runs stream and one to the alerts stream, whichever silo of the cluster hosts a run (and after it moves), handed to <see cref="LiveClients"/>. The
/// handler only queues, so a slow browser never holds up the stream's delivery to the others.
/// </summary>
public sealed class LiveFeed(IClusterClient cluster, LiveClients clients, ILogger<LiveFeed> logger) : IHostedService
{
    private StreamSubscriptionHandle<RunUpdate>? _runs;
    private StreamSubscriptionHandle<Alert>? _alerts;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var provider = cluster.GetStreamProvider(RunStreams.Provider);
        _runs = await provider.GetStream<RunUpdate>(RunStreams.AllRuns).SubscribeAsync((update, _) =>
        {
            clients.Offer(update);
            return Task.CompletedTask;
        });
        _alerts = await provider.GetStream<Alert>(RunStreams.Alerts).SubscribeAsync((alert, _) =>
        {
            clients.OfferAlert(alert);
            return Task.CompletedTask;
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_runs is not null) await _runs.UnsubscribeAsync();
            if (_alerts is not null) await _alerts.UnsubscribeAsync();
        }
        catch (Exception e)
        {
            // The silo may already be on its way down; the subscription ends with it.
            logger.LogDebug(e, "could not unsubscribe the dashboard from the runs stream");
        }
    }
}
