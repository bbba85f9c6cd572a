namespace StreamMonitor.Metrics;

/// <summary>
/// Points counted by an <see cref="InfluxWriter"/> since it started: <see cref="Written"/> to InfluxDB (replayed ones
/// included), <see cref="DroppedBad"/> because InfluxDB refused the line itself, write requests <see cref="Retried"/>,
/// <see cref="Spilled"/> to disk, <see cref="Replayed"/> from disk, and <see cref="Pending"/> in memory now.
/// </summary>
public sealed record InfluxWriterStats(long Written, long DroppedBad, long Retried, long Spilled, long Replayed, long Pending);
