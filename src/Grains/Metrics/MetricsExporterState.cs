namespace StreamMonitor.Grains.Metrics;

/// <summary>
/// How far the exporter's updates are known to be in InfluxDB, per run (the last sequence). Written only when everything
/// handed to the writer before it is in InfluxDB, not merely spilled to this silo's disk, so the exporter that takes
/// over after a crash writes again what might be missing; a point written twice overwrites itself.
/// </summary>
[GenerateSerializer]
public sealed class MetricsExporterState
{
    [Id(0)] public Dictionary<string, long> Exported { get; set; } = [];
}
