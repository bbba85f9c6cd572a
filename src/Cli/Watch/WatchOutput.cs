using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Runs;

namespace StreamMonitor.Cli.Watch;

/// <summary>
/// The lines <c>watch</c> prints: one per frame and one per event, as text or as JSON objects
/// (<c>{"type":"frame", ...}</c> with snake_case keys, <c>{"type":"event", "kind": ...}</c>).
/// </summary>
internal sealed class WatchOutput(TextWriter writer, bool json)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly object _gate = new();

    public void Frame(FrameSummary s)
    {
        string line = json ? FrameJson(s).ToJsonString(Compact) : FrameText(s);
        Write(line);
    }

    public void Event(RunEvent e)
    {
        string line = json ? EventJson(e).ToJsonString(Compact) : EventText(e);
        Write(line);
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public static JsonObject FrameJson(FrameSummary s)
    {
        var counts = new JsonObject();
        for (int c = 0; c < s.Classes.Count; c++) counts[s.Classes[c]] = s.ClassCounts[c];
        return new JsonObject
        {
            ["type"] = "frame",
            ["run_id"] = s.RunId,
            ["frame"] = s.Frame,
            ["step"] = s.Step,
            ["time"] = s.Time,
            ["count"] = s.Count,
            ["class_counts"] = counts,
            ["undefined"] = s.Undefined,
            ["crystalline"] = s.Crystalline,
            ["crystalline_fraction"] = s.CrystallineFraction,
            ["dominant_crystal"] = s.DominantCrystal,
            ["n_max"] = s.NMax,
            ["largest_center"] = s.LargestCenter is { } centre ? new JsonArray(centre.Select(v => (JsonNode)v).ToArray()) : null,
            ["largest_rg"] = s.LargestRadiusOfGyration,
            ["mean_q6"] = s.MeanQ6,
            ["surface"] = s.Surface,
            ["core"] = s.Core,
            ["interface_position"] = s.InterfacePosition,
            ["interface_velocity"] = s.InterfaceVelocity,
            ["latency_ms"] = s.LatencyMs,
        };
    }

    public static JsonObject EventJson(RunEvent e)
    {
        var values = new JsonObject();
        foreach (var (k, v) in e.Values) values[k] = v;
        var labels = new JsonObject();
        foreach (var (k, v) in e.Labels) labels[k] = v;
        return new JsonObject
        {
            ["type"] = "event",
            ["kind"] = e.Kind,
            ["run_id"] = e.RunId,
            ["frame"] = e.Frame,
            ["step"] = e.Step,
            ["time"] = e.Time,
            ["message"] = e.Message,
            ["values"] = values,
            ["labels"] = labels,
            ["at"] = e.At.ToString("O", CultureInfo.InvariantCulture),
        };
    }

    private static string FrameText(FrameSummary s)
    {
        var classes = string.Join("  ", s.Classes.Select((c, i) =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1,5:0.0}%", c, s.Count == 0 ? 0 : 100.0 * s.ClassCounts[i] / s.Count)));
        var surface = s.Surface is { } surf ? string.Format(CultureInfo.InvariantCulture, "  surface {0} core {1}", surf, s.Core) : "";
        var front = s.InterfacePosition is { } x
            ? string.Format(CultureInfo.InvariantCulture, "  interface {0:0.00}{1}", x, s.InterfaceVelocity is { } v ? string.Format(CultureInfo.InvariantCulture, " ({0:+0.000;-0.000}/t)", v) : "")
            : "";
        return string.Format(CultureInfo.InvariantCulture, "frame {0,4}  step {1,8}  {2}  n_max {3,6}{4}{5}  ({6:0} ms)",
            s.Frame, s.Step, classes, s.NMax, surface, front, s.LatencyMs);
    }

    private static string EventText(RunEvent e) =>
        string.Format(CultureInfo.InvariantCulture, "event {0}{1}: {2}", e.Kind,
            e.Frame is { } f ? $" at frame {f} (step {e.Step})" : "", e.Message);
}
