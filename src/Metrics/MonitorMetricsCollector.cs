using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StreamMonitor.Metrics;

/// <summary>
/// Turns the measurements of the "StreamMonitor*" meters (delivery, the InfluxDB writer's own queue and batches, ...)
/// into <c>monitor</c> points every <c>interval</c>: one point per instrument and tag set, tagged <c>silo</c>,
/// <c>meter</c>, <c>instrument</c> and the measurement's own tags. Counters report their running total as
/// <c>value</c>, gauges their last value, histograms <c>count</c>, <c>sum</c>, <c>min</c> and <c>max</c> over the interval.
/// </summary>
public sealed class MonitorMetricsCollector : IDisposable
{
    public const string Measurement = "monitor";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Tags), Aggregate> _aggregates = new();
    private readonly Action<LinePoint> _sink;
    private readonly string _silo;
    private readonly Timer _timer;

    public MonitorMetricsCollector(Action<LinePoint> sink, string silo, TimeSpan interval)
    {
        _sink = sink;
        _silo = silo;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("StreamMonitor", StringComparison.Ordinal)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        _timer = new Timer(_ => Collect(), null, interval, interval);
    }

    /// <summary>Reads the observable instruments and emits one point per instrument and tag set seen.</summary>
    public void Collect()
    {
        _listener.RecordObservableInstruments();
        long now = LinePoint.NowNs();
        foreach (var ((instrument, _), aggregate) in _aggregates)
        {
            var fields = aggregate.TakeFields(instrument);
            if (fields is null) continue;
            var tags = new Dictionary<string, string>(aggregate.Tags)
            {
                ["silo"] = _silo,
                ["meter"] = instrument.Meter.Name,
                ["instrument"] = instrument.Name,
            };
            _sink(new LinePoint(Measurement, tags, fields, now));
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var tagMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags) tagMap[key] = Convert.ToString(tagValue, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        string tagKey = string.Join(',', tagMap.Select(t => $"{t.Key}={t.Value}"));
        _aggregates.GetOrAdd((instrument, tagKey), _ => new Aggregate(tagMap)).Add(instrument, value);
    }

    public void Dispose()
    {
        _timer.Dispose();
        _listener.Dispose();
    }

    private sealed class Aggregate(IReadOnlyDictionary<string, string> tags)
    {
        private readonly Lock _lock = new();
        private double _total, _last, _sum, _min = double.MaxValue, _max = double.MinValue;
        private long _count;

        public IReadOnlyDictionary<string, string> Tags { get; } = tags;

        public void Add(Instrument instrument, double value)
        {
            lock (_lock)
            {
                _total += value;
                _last = value;
                _count++;
                _sum += value;
                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
            }
        }

        public Dictionary<string, object>? TakeFields(Instrument instrument)
        {
            lock (_lock)
            {
                try
                {
                    return instrument switch
                    {
                        Counter<long> or Counter<int> or UpDownCounter<long> or UpDownCounter<int> => new() { ["value"] = (long)_total },
                        Counter<double> or UpDownCounter<double> => new() { ["value"] = _total },
                        _ when instrument.IsObservable => _count == 0 ? null : new() { ["value"] = _last },
                        _ => _count == 0 ? null : new() { ["count"] = _count, ["sum"] = _sum, ["min"] = _min, ["max"] = _max },
                    };
                }
                finally
                {
                    if (instrument.IsObservable || instrument is not (Counter<long> or Counter<int> or Counter<double> or UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>))
                    {
                        _count = 0;
                        _sum = 0;
                        _min = double.MaxValue;
                        _max = double.MinValue;
                    }
                }
            }
        }
    }
}
