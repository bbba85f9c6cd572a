using System.Globalization;
using System.Text.Json;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Cli.Watch;

/// <summary>
/// The lines <c>watch</c> prints: one per recorded update (a frame's summary, an event), as text or as the contract's
/// JSON (<see cref="ContractJson"/>: the same <c>run_update</c> objects the server's streams and API carry).
/// </summary>
internal sealed class WatchOutput(TextWriter writer, bool json)
{
    private readonly object _gate = new();

    public void Write(RunUpdate update)
    {
        string line = json ? JsonSerializer.Serialize(update, ContractJson.Options) : Text(update);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Text(RunUpdate update) => update switch
    {
        { Summary: { } s } => FrameText(s),
        { Event: { } e } => EventText(e),
        { Status: { } c } => $"status {c.State.Name()}: {c.Reason}",
        _ => "",
    };

    private static string FrameText(FrameSummary s)
    {
        var classes = string.Join("  ", s.ClassCounts.Select(c =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1,5:0.0}%", c.Key, s.Count == 0 ? 0 : 100.0 * c.Value / s.Count)));
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
