using Orleans.Concurrency;

namespace StreamMonitor.Contracts.Metrics;

/// <summary>
/// The one writer of a cluster's metrics to InfluxDB (one grain, key <see cref="Key"/>): it follows every run's updates
/// on the all-runs stream and hands each to its writer, which batches, retries and spills without ever holding up a run.
/// Every silo's starter wakes it; Orleans keeps the one activation, and a reminder brings it back on a surviving silo,
/// which then exports what the runs recorded after the last progress known to be in InfluxDB.
/// </summary>
public interface IMetricsExporterGrain : IGrainWithStringKey
{
    public const string Key = "influx";

    /// <summary>Wakes the exporter (it then follows the stream on its own).</summary>
    Task Start();

    /// <summary>Updates handed to the writer since this activation began.</summary>
    Task<long> Exported();

    /// <summary>
    /// Writes points already in line protocol, each line ending with a newline: each silo's own health (the
    /// <c>monitor</c> measurement), so that the cluster's one writer writes them too.
    /// </summary>
    [OneWay]
    Task Write(Immutable<byte[]> lines);
}
