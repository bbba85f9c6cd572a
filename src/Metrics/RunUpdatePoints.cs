using StreamMonitor.Monitoring;

namespace StreamMonitor.Metrics;

/// <summary>
/// The InfluxDB schema of run updates (README, "Metrics: InfluxDB"): a frame summary becomes a <c>frame_summary</c>
/// point, an event a <c>run_event</c> point and a status change a <c>run_status</c> point. Integers are always written
/// as integers (InfluxDB refuses a field whose type changes); null values are left out.
/// </summary>
public static class RunUpdatePoints
{
    public const string FrameSummary = "frame_summary";
    public const string RunEvent = "run_event";
    public const string RunStatus = "run_status";

    /// <summary>
    /// A point's time: the update's recorded time in whole milliseconds, plus its sequence number modulo 10^6 in
    /// nanoseconds. Every update of a run gets a distinct time that depends only on the update, so writing it again (a
    /// retry, a replayed spill) overwrites the same point instead of adding one.
    /// </summary>
    public static long TimestampNs(RunUpdate update) =>
        update.RecordedAt.ToUnixTimeMilliseconds() * 1_000_000 + update.Sequence % 1_000_000;

    /// <summary>Writes the update's point; false when it carries nothing to write.</summary>
    public static bool Write(RunUpdate update, string? campaign, LineProtocolWriter writer)
    {
        if (update.Summary is { } summary) WriteSummary(update, summary, campaign, writer);
        else if (update.Event is { } e) WriteEvent(update, e, campaign, writer);
        else if (update.Status is { } status) WriteStatus(update, status, campaign, writer);
        else return false;
        return writer.EndLine(TimestampNs(update));
    }

    private static void WriteSummary(RunUpdate update, FrameSummary s, string? campaign, LineProtocolWriter w)
    {
        w.Measurement(FrameSummary).Tag("campaign", campaign).Tag("model", s.Model).Tag("run", update.RunId);
        w.Field("sequence", update.Sequence)
            .Field("frame", s.Frame)
            .Field("step", s.Step)
            .Field("count", (long)s.Count)
            .Field("crystalline", (long)s.Crystalline)
            .Field("crystalline_fraction", s.CrystallineFraction)
            .Field("n_max", (long)s.NMax)
            .Field("mean_q6", s.MeanQ6)
            .Field("surface", (long?)s.Surface)
            .Field("core", (long?)s.Core)
            .Field("largest_rg", s.LargestRg)
            .Field("interface_position", s.InterfacePosition)
            .Field("interface_velocity", s.InterfaceVelocity)
            .Field("latency_ms", s.LatencyMs)
            .Field("frames_behind", (double?)s.FramesBehind);
        foreach (var (name, count) in s.ClassCounts)
        {
            w.Field(string.Concat("class_", name), (long)count);
            w.Field(string.Concat("fraction_", name), s.Count == 0 ? 0.0 : (double)count / s.Count);
        }
    }

    private static void WriteEvent(RunUpdate update, RunEvent e, string? campaign, LineProtocolWriter w)
    {
        w.Measurement(RunEvent).Tag("campaign", campaign).Tag("kind", e.Kind).Tag("run", update.RunId);
        w.Field("sequence", update.Sequence).Field("frame", e.Frame).Field("step", e.Step).Field("message", e.Message);
        foreach (var (name, value) in e.Values) w.Field(string.Concat("value_", name), value);
    }

    private static void WriteStatus(RunUpdate update, RunStatusChange status, string? campaign, LineProtocolWriter w)
    {
        w.Measurement(RunStatus).Tag("campaign", campaign).Tag("run", update.RunId).Tag("state", StateName(status.State));
        w.Field("sequence", update.Sequence).Field("reason", status.Reason);
    }

    /// <summary>The state as the JSON contract spells it (snake_case), so dashboards filter on the same words.</summary>
    private static string StateName(RunState state) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(state.ToString());
}
