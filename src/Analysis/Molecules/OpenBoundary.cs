using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Frames without a cell (a plain XYZ cluster) are searched in an orthogonal box that encloses every point with a margin
/// wider than the search radius, so the cell-list search can be reused and no periodic image ever comes within range.
/// </summary>
internal static class OpenBoundary
{
    public static SimulationBox Enclosing(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, double radius)
    {
        double x0 = double.PositiveInfinity, y0 = x0, z0 = x0, x1 = double.NegativeInfinity, y1 = x1, z1 = x1;
        for (int i = 0; i < x.Length; i++)
        {
            x0 = Math.Min(x0, x[i]); x1 = Math.Max(x1, x[i]);
            y0 = Math.Min(y0, y[i]); y1 = Math.Max(y1, y[i]);
            z0 = Math.Min(z0, z[i]); z1 = Math.Max(z1, z[i]);
        }
        if (x.Length == 0) x0 = y0 = z0 = x1 = y1 = z1 = 0;
        if (!double.IsFinite(x0 + x1 + y0 + y1 + z0 + z1)) throw new ArgumentException("a position is not finite");
        double margin = 2 * radius + 1;
        return SimulationBox.Orthogonal(x1 - x0 + 2 * margin, y1 - y0 + 2 * margin, z1 - z0 + 2 * margin,
            new Vector3d(x0 - margin, y0 - margin, z0 - margin));
    }

    public static SimulationBox Enclosing(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, double radius)
    {
        var dx = new double[x.Length];
        var dy = new double[x.Length];
        var dz = new double[x.Length];
        for (int i = 0; i < x.Length; i++) (dx[i], dy[i], dz[i]) = (x[i], y[i], z[i]);
        return Enclosing(dx, dy, dz, radius);
    }
}
