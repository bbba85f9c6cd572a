namespace StreamMonitor.Metrics;

/// <summary>
/// One point built by hand (the monitor's own health, from <see cref="MonitorMetricsCollector"/>): a measurement, tags,
/// fields whose values are <see cref="long"/>, <see cref="int"/>, <see cref="double"/>, <see cref="bool"/> or
/// <see cref="string"/>, and a timestamp in nanoseconds since the Unix epoch.
/// </summary>
public sealed record LinePoint(
    string Measurement,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, object> Fields,
    long TimestampNs)
{
    public void WriteTo(LineProtocolWriter writer)
    {
        writer.Measurement(Measurement);
        foreach (var (key, value) in Tags.OrderBy(t => t.Key, StringComparer.Ordinal)) writer.Tag(key, value);
        foreach (var (key, value) in Fields)
        {
            switch (value)
            {
                case long l: writer.Field(key, l); break;
                case int i: writer.Field(key, (long)i); break;
                case double d: writer.Field(key, d); break;
                case float f: writer.Field(key, (double)f); break;
                case bool b: writer.Field(key, b); break;
                case string s: writer.Field(key, s); break;
                default:
                    throw new ArgumentException($"field '{key}' of measurement '{Measurement}' is a {value?.GetType().Name ?? "null"}: " +
                                                "fields are long, int, double, float, bool or string");
            }
        }
        writer.EndLine(TimestampNs);
    }

    public static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
}
