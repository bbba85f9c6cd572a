using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using StreamMonitor.Contracts.Metrics;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Metrics;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Grains.Metrics;

/// <summary>
/// <see cref="IMetricsExporterGrain"/>: one activation per cluster owns the <see cref="InfluxWriter"/>, so each update is
/// written once, not once per silo. The stream hands it updates in the runs' order; enqueueing never waits for InfluxDB
/// (the writer spills to its folder when InfluxDB is away and replays in order when it is back).
/// </summary>
public sealed class MetricsExporterGrain(IOptions<MetricsExporterOptions> options, ILogger<MetricsExporterGrain> logger) : Grain, IMetricsExporterGrain, IRemindable
{
    public const string ResumeReminder = "resume";

    /// <summary>How often the silo's own meters are written (the <c>monitor</c> measurement).</summary>
    private static readonly TimeSpan HealthPeriod = TimeSpan.FromSeconds(10);

    private InfluxWriter? _writer;
    private MonitorMetricsCollector? _health;
    private long _exported;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Influx is not { } influx) return;
        var writer = _writer = new InfluxWriter(influx, logger, CampaignLayout.CampaignOf);
        // The health of the silo the exporter lives on (its queues, the writer's own backlog); other silos' meters are not collected.
        _health = new MonitorMetricsCollector(writer.Enqueue, RuntimeIdentity, HealthPeriod);
        _health.Collect();
        var stream = this.GetStreamProvider(RunStreams.Provider).GetStream<RunUpdate>(RunStreams.AllRuns);
        var handles = await stream.GetAllSubscriptionHandles();
        if (handles.Count == 0) await stream.SubscribeAsync(OnUpdateAsync);
        else foreach (var handle in handles) await handle.ResumeAsync(OnUpdateAsync);
        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumePeriod, options.Value.ResumePeriod);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "metrics: could not register the exporter's resume reminder; if its silo dies, the next run's update resumes it");
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A last sample, so a short-lived server's health is in InfluxDB too.
        _health?.Collect();
        _health?.Dispose();
        if (_writer is not null) await _writer.DisposeAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public Task Start() => Task.CompletedTask;

    public Task<long> Exported() => Task.FromResult(_exported);

    private Task OnUpdateAsync(RunUpdate update, StreamSequenceToken? token)
    {
        if (_writer?.Enqueue(update) == true) _exported++;
        return Task.CompletedTask;
    }
}
