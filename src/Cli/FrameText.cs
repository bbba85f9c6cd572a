using System.Globalization;
using StreamMonitor.Core;

namespace StreamMonitor.Cli;

/// <summary>The human-readable one-line description of a frame.</summary>
internal static class FrameText
{
    public static string Describe(Frame frame)
    {
        var inv = CultureInfo.InvariantCulture;
        var box = frame.Box;
        string cell = !box.HasCell
            ? "no cell"
            : box.IsOrthogonal
                ? string.Format(inv, "box {0:0.###} x {1:0.###} x {2:0.###}", box.A.X, box.B.Y, box.C.Z)
                : string.Format(inv, "triclinic box |a| {0:0.###} |b| {1:0.###} |c| {2:0.###}", box.A.Length, box.B.Length, box.C.Length);
        string time = frame.Time is { } t ? string.Format(inv, "  time {0:G6}", t) : "";
        string density = box.HasCell ? string.Format(inv, "  density {0:0.####}", frame.AtomCount / Math.Abs(box.Volume)) : "";
        return string.Format(inv, "frame {0,5}  step {1,9}{2}  atoms {3}  {4}{5}", frame.Index, frame.Step, time, frame.AtomCount, cell, density);
    }
}
