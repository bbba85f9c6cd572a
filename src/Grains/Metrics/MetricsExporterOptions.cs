using StreamMonitor.Metrics;

namespace StreamMonitor.Grains.Metrics;

/// <summary>Where the cluster's metrics go; <see cref="Influx"/> null exports nothing.</summary>
public sealed class MetricsExporterOptions
{
    public InfluxOptions? Influx { get; set; }

    /// <summary>How soon the exporter comes back on another silo when its own dies.</summary>
    public TimeSpan ResumePeriod { get; set; } = Hosting.ServerDefaults.ResumePeriod;
}
