using System.Diagnostics.Metrics;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// The pipeline's side of the monitor's health (<c>monitor</c> points, tagged <c>run</c>): frames summarised, and how
/// far behind each run is, as the time from reading a frame to its summary and the frames still unread in its file.
/// </summary>
public static class PipelineMeters
{
    public const string MeterName = "StreamMonitor.Pipeline";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Frames = Meter.CreateCounter<long>("streammonitor.pipeline.frames", description: "Frames summarised");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("streammonitor.pipeline.latency_ms", unit: "ms", description: "Frame read to summary");
    private static readonly Histogram<double> Behind = Meter.CreateHistogram<double>("streammonitor.pipeline.frames_behind", description: "Frames written but not yet read");

    public static void Record(string runId, FrameSummary summary)
    {
        var run = new KeyValuePair<string, object?>("run", runId);
        Frames.Add(1, run);
        Latency.Record(summary.LatencyMs, run);
        if (summary.FramesBehind is { } behind) Behind.Record(behind, run);
    }
}
