namespace StreamMonitor.Contracts.Metrics;

/// <summary>
/// The one writer of a cluster's metrics to InfluxDB (one grain, key <see cref="Key"/>): it follows every run's updates
/// on the all-runs stream and hands each to its writer, which batches, retries and spills without ever holding up a run.
/// Every silo's starter wakes it; Orleans keeps the one activation, and a reminder brings it back on a surviving silo.
/// </summary>
public interface IMetricsExporterGrain : IGrainWithStringKey
{
    public const string Key = "influx";

    /// <summary>Wakes the exporter (it then follows the stream on its own).</summary>
    Task Start();

    /// <summary>Updates handed to the writer since this activation began.</summary>
    Task<long> Exported();
}
