using System.Diagnostics.Metrics;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Metrics.Tests;

public class MonitorMetricsCollectorTests
{
    [Fact]
    public void Counters_gauges_and_histograms_of_StreamMonitor_meters_become_monitor_points()
    {
        string meterName = $"StreamMonitor.Test.{Guid.NewGuid():N}";
        using var meter = new Meter(meterName);
        using var other = new Meter($"Elsewhere.{Guid.NewGuid():N}");
        var counter = meter.CreateCounter<long>("frames");
        var histogram = meter.CreateHistogram<double>("lag_ms");
        int depth = 7;
        meter.CreateObservableGauge("queue_depth", () => depth);
        other.CreateCounter<long>("ignored").Add(1);
        var points = new List<LinePoint>();
        using var collector = new MonitorMetricsCollector(p => { lock (points) points.Add(p); }, "silo-1", TimeSpan.FromHours(1));

        counter.Add(3, new KeyValuePair<string, object?>("run", "r1"));
        counter.Add(4, new KeyValuePair<string, object?>("run", "r1"));
        histogram.Record(2.0);
        histogram.Record(6.0);
        collector.Collect();

        var ours = points.Where(p => p.Tags["meter"] == meterName).ToDictionary(p => p.Tags["instrument"]);
        Assert.Equal(["frames", "lag_ms", "queue_depth"], ours.Keys.Order());
        Assert.All(ours.Values, p => Assert.Equal((MonitorMetricsCollector.Measurement, "silo-1"), (p.Measurement, p.Tags["silo"])));
        Assert.Equal("r1", ours["frames"].Tags["run"]);
        Assert.Equal(7L, ours["frames"].Fields["value"]);
        Assert.Equal(7.0, ours["queue_depth"].Fields["value"]);
        Assert.Equal((2L, 8.0, 2.0, 6.0), ((long)ours["lag_ms"].Fields["count"], (double)ours["lag_ms"].Fields["sum"], (double)ours["lag_ms"].Fields["min"], (double)ours["lag_ms"].Fields["max"]));
        Assert.DoesNotContain(points, p => p.Tags["meter"].StartsWith("Elsewhere", StringComparison.Ordinal));

        // A counter keeps its running total; a histogram with nothing new in the interval gives no point.
        points.Clear();
        counter.Add(1, new KeyValuePair<string, object?>("run", "r1"));
        collector.Collect();
        ours = points.Where(p => p.Tags["meter"] == meterName).ToDictionary(p => p.Tags["instrument"]);
        Assert.Equal(8L, ours["frames"].Fields["value"]);
        Assert.False(ours.ContainsKey("lag_ms"));

        using var lines = new LineProtocolWriter();
        ours["frames"].WriteTo(lines);
        Assert.StartsWith($"monitor,instrument=frames,meter={meterName},run=r1,silo=silo-1 value=8i ", lines.ToString());
    }

    [Fact]
    public void The_pipelines_frames_latency_and_lag_are_reported_per_run()
    {
        var points = new List<LinePoint>();
        using var collector = new MonitorMetricsCollector(p => { lock (points) points.Add(p); }, "silo-1", TimeSpan.FromHours(1));
        string run = $"run-{Guid.NewGuid():N}";
        var summary = Updates.Summary(run, 1).Summary!;
        PipelineMeters.Record(run, summary with { LatencyMs = 40, FramesBehind = 2 });
        PipelineMeters.Record(run, summary with { LatencyMs = 10, FramesBehind = 0 });
        collector.Collect();

        var ours = points.Where(p => p.Tags.GetValueOrDefault("run") == run).ToDictionary(p => p.Tags["instrument"]);
        Assert.All(ours.Values, p => Assert.Equal(PipelineMeters.MeterName, p.Tags["meter"]));
        Assert.Equal(2L, ours["streammonitor.pipeline.frames"].Fields["value"]);
        Assert.Equal((2L, 50.0, 40.0), ((long)ours["streammonitor.pipeline.latency_ms"].Fields["count"],
            (double)ours["streammonitor.pipeline.latency_ms"].Fields["sum"], (double)ours["streammonitor.pipeline.latency_ms"].Fields["max"]));
        Assert.Equal(2.0, ours["streammonitor.pipeline.frames_behind"].Fields["max"]);
    }
}
