using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Interfaces;

/// <summary>
/// Fraction of solid particles in slabs along one lattice direction: the profile whose tanh fit gives the position of a
/// solid–liquid interface (<see cref="InterfaceFit"/>). Slabs are equal intervals of the fractional coordinate along
/// that direction, so in a triclinic cell they are the cell's own lattice planes (an interface grown from a seed slab
/// of the cell lies in them); distances are measured along the planes' normal, so a slab's thickness is the
/// perpendicular width of the cell divided by the number of slabs. For an orthogonal box that is plain binning along x,
/// y or z. The constructor takes the parameters, <see cref="Compute(SimulationBox, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{bool})"/>
/// the frame (freud style); thread-safe.
/// </summary>
public sealed class SolidFractionProfile
{
    /// <param name="axis">Lattice direction: 0 = a (x), 1 = b (y), 2 = c (z).</param>
    /// <param name="bins">Number of slabs over one period.</param>
    public SolidFractionProfile(int axis = 2, int bins = 40)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(axis, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(axis, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        Axis = axis;
        Bins = bins;
    }

    public int Axis { get; }

    public int Bins { get; }

    /// <summary>The axis index of a name: x or a → 0, y or b → 1, z or c → 2.</summary>
    public static int AxisIndex(char name) => char.ToLowerInvariant(name) switch
    {
        'x' or 'a' => 0,
        'y' or 'b' => 1,
        'z' or 'c' => 2,
        _ => throw new ArgumentException($"axis must be x, y or z, got '{name}'", nameof(name)),
    };

    public SolidFractionProfileResult Compute(Frame frame, ReadOnlySpan<bool> solid) =>
        Compute(frame.Box, frame.X, frame.Y, frame.Z, solid);

    public SolidFractionProfileResult Compute(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z,
        ReadOnlySpan<bool> solid)
    {
        int n = x.Length;
        if (y.Length != n || z.Length != n || solid.Length != n)
            throw new ArgumentException($"positions ({x.Length}/{y.Length}/{z.Length}) and solid flags ({solid.Length}) differ in length");
        var cell = new PeriodicCell(box); // a clear message for a frame without a cell
        // The reciprocal vector of the axis (e.g. (a × b) / V for c): its dot product with r − origin is the fractional
        // coordinate, and its direction is the planes' normal.
        var (u, v) = Axis switch { 0 => (box.B, box.C), 1 => (box.C, box.A), _ => (box.A, box.B) };
        var reciprocal = 1 / box.Volume * u.Cross(v);
        double width = Axis switch { 0 => cell.Widths.X, 1 => cell.Widths.Y, _ => cell.Widths.Z };
        double start = width * reciprocal.Dot(box.Origin); // n̂ · origin, with n̂ = reciprocal · width

        var counts = new int[Bins];
        var solidCounts = new int[Bins];
        double ox = box.Origin.X, oy = box.Origin.Y, oz = box.Origin.Z;
        double rx = reciprocal.X, ry = reciprocal.Y, rz = reciprocal.Z;
        for (int i = 0; i < n; i++)
        {
            double s = rx * (x[i] - ox) + ry * (y[i] - oy) + rz * (z[i] - oz);
            if (!double.IsFinite(s)) throw new ArgumentException($"particle {i} has a non-finite position");
            s -= Math.Floor(s);
            int k = Math.Min((int)(s * Bins), Bins - 1);
            counts[k]++;
            if (solid[i]) solidCounts[k]++;
        }
        return new SolidFractionProfileResult(Axis, start, width, counts, solidCounts);
    }
}
