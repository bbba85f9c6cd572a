using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using StreamMonitor.Contracts.Metrics;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Metrics;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Sends this silo's own meters (queues, batches, the writer's backlog: <see cref="MonitorMetricsCollector"/>) to the
/// cluster's metrics exporter every <see cref="Period"/>, so every silo's health reaches InfluxDB through the one writer.
/// A sample that cannot be sent (the exporter is moving to another silo) is dropped: the next one carries the running totals.
/// </summary>
/// <remarks>
/// <see cref="ActivePipelines"/> is taken here so that its meter (the runs this silo follows, the frames waiting for a
/// core) exists from the start: a silo that no run has landed on yet still reports its health (0 runs), rather than an
/// empty sample that is never sent.
/// </remarks>
internal sealed class SiloHealthReporter(IGrainFactory grains, ILocalSiloDetails silo, IHostApplicationLifetime lifetime,
    ActivePipelines pipelines, ILogger<SiloHealthReporter> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    // Filled and emptied only by the loop below, which drives the collector.
    private readonly LineProtocolWriter _lines = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The collector is driven from here rather than by its own timer, so that each sample is sent as one call.
        using var collector = new MonitorMetricsCollector(Add, silo.SiloAddress.ToString(), Timeout.InfiniteTimeSpan);
        logger.LogDebug("metrics: this silo's health starts with {Runs} runs followed", pipelines.Count);
        try
        {
            await GrainWaker.WhenStartedAsync(lifetime, stoppingToken);
            using var timer = new PeriodicTimer(Period);
            do await SendAsync(collector);
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // A last sample, so a short-lived server's health is in InfluxDB too.
            await SendAsync(collector);
        }
    }

    public override void Dispose()
    {
        _lines.Dispose();
        base.Dispose();
    }

    private void Add(LinePoint point) => point.WriteTo(_lines);

    /// <remarks>
    /// Nothing a sample does may end the loop: reading the instruments (any meter's callbacks) and the call to the
    /// exporter are both inside the catch, so a sample that fails is logged and the next period tries again.
    /// </remarks>
    private async Task SendAsync(MonitorMetricsCollector collector)
    {
        try
        {
            collector.Collect();
            byte[] sample = _lines.Written.ToArray();
            if (sample.Length == 0) return;
            await grains.GetGrain<IMetricsExporterGrain>(IMetricsExporterGrain.Key).Write(new Immutable<byte[]>(sample));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "metrics: this silo's health sample could not be taken or sent to the exporter; trying again in {Period}", Period);
        }
        finally
        {
            _lines.Clear();
        }
    }
}
