using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Neighbors;

/// <summary>
/// The periodic geometry of a <see cref="SimulationBox"/>: Cartesian ↔ fractional coordinates, perpendicular widths
/// (the spacing of the lattice planes, which bounds what "half the box" means in a triclinic cell) and the minimum image.
/// </summary>
public sealed class PeriodicCell
{
    // Rows of the inverse matrix: s_a = Inverse row 0 · (r - origin), etc.
    private readonly Vector3d _invA;
    private readonly Vector3d _invB;
    private readonly Vector3d _invC;

    public PeriodicCell(SimulationBox box)
    {
        double volume = box.Volume;
        if (!(Math.Abs(volume) > 0) || !double.IsFinite(volume))
            throw new ArgumentException("the frame has no periodic cell (zero or undefined box volume)", nameof(box));
        Box = box;
        // The reciprocal vectors: a* = (b × c) / V, so that a* · a = 1 and a* · b = a* · c = 0.
        _invA = 1 / volume * box.B.Cross(box.C);
        _invB = 1 / volume * box.C.Cross(box.A);
        _invC = 1 / volume * box.A.Cross(box.B);
        Widths = new Vector3d(1 / _invA.Length, 1 / _invB.Length, 1 / _invC.Length);
    }

    public SimulationBox Box { get; }

    /// <summary>The reciprocal vectors a*, b*, c*: fractional coordinate s_a = a* · (r − origin), and so on.</summary>
    internal (Vector3d A, Vector3d B, Vector3d C) Reciprocal => (_invA, _invB, _invC);

    /// <summary>Distances between opposite faces of the cell, along a*, b*, c*.</summary>
    public Vector3d Widths { get; }

    /// <summary>Half the smallest width: the largest cutoff for which every pair has at most one image in range.</summary>
    public double MaxMinimumImageCutoff => 0.5 * Math.Min(Widths.X, Math.Min(Widths.Y, Widths.Z));

    public Vector3d ToFractional(Vector3d r) => DisplacementToFractional(r - Box.Origin);

    /// <summary>The fractional components of a displacement (not a position: no origin).</summary>
    public Vector3d DisplacementToFractional(Vector3d d) => new(_invA.Dot(d), _invB.Dot(d), _invC.Dot(d));

    public Vector3d ToCartesian(Vector3d s) => Box.ToCartesian(s.X, s.Y, s.Z);

    /// <summary>The displacement of a vector applied by whole lattice vectors.</summary>
    public Vector3d Shift(int na, int nb, int nc) => na * Box.A + nb * Box.B + nc * Box.C;

    /// <summary>
    /// The whole lattice vector n_a a + n_b b + n_c c nearest to <paramref name="d"/>, each fractional component rounded:
    /// recovers which image a rounded (e.g. single-precision) displacement stands for, given the exact one it rounds.
    /// </summary>
    internal Vector3d NearestLatticeVector(Vector3d d) =>
        Shift((int)Math.Round(_invA.Dot(d)), (int)Math.Round(_invB.Dot(d)), (int)Math.Round(_invC.Dot(d)));

    /// <summary>
    /// The periodic image of <paramref name="d"/> with fractional components in [-½, ½). It is the shortest image
    /// whenever the shortest one is shorter than <see cref="MaxMinimumImageCutoff"/>.
    /// </summary>
    public Vector3d MinimumImage(Vector3d d)
    {
        double sa = _invA.Dot(d), sb = _invB.Dot(d), sc = _invC.Dot(d);
        return d - Shift((int)Math.Floor(sa + 0.5), (int)Math.Floor(sb + 0.5), (int)Math.Floor(sc + 0.5));
    }

    /// <summary>Wraps a position into the cell (fractional coordinates in [0, 1)).</summary>
    public Vector3d Wrap(Vector3d r)
    {
        var s = ToFractional(r);
        return r - Shift((int)Math.Floor(s.X), (int)Math.Floor(s.Y), (int)Math.Floor(s.Z));
    }
}
