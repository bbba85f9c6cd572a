namespace StreamMonitor.Analysis.Interfaces;

/// <summary>
/// The solid fraction in slabs of one frame, from <see cref="SolidFractionProfile"/>. Positions are distances along the unit
/// normal of the lattice planes of the profile's axis (for an orthogonal box: the Cartesian coordinate itself), running
/// from <see cref="Start"/> (the cell's origin plane) over one period <see cref="Length"/>. Immutable.
/// </summary>
public sealed class SolidFractionProfileResult
{
    private readonly int[] _counts;
    private readonly int[] _solid;
    private readonly double[] _fraction;
    private readonly double[] _position;

    internal SolidFractionProfileResult(int axis, double start, double length, int[] counts, int[] solid)
    {
        Axis = axis;
        Start = start;
        Length = length;
        _counts = counts;
        _solid = solid;
        int bins = counts.Length;
        _fraction = new double[bins];
        _position = new double[bins];
        for (int k = 0; k < bins; k++)
        {
            // An empty slab has no fraction (NaN), not 0: it says nothing about the phase there.
            _fraction[k] = counts[k] > 0 ? (double)solid[k] / counts[k] : double.NaN;
            _position[k] = start + (k + 0.5) * length / bins;
        }
    }

    /// <summary>Lattice direction of the profile: 0 = a (x), 1 = b (y), 2 = c (z).</summary>
    public int Axis { get; }

    /// <summary>Position of the cell's origin plane along the profile's normal.</summary>
    public double Start { get; }

    /// <summary>The period along the profile: the distance between opposite faces of the cell (its perpendicular width).</summary>
    public double Length { get; }

    public int Bins => _counts.Length;

    public double BinWidth => Length / Bins;

    /// <summary>Centre of each slab, from Start + BinWidth/2 up.</summary>
    public ReadOnlySpan<double> Positions => _position;

    /// <summary>Particles in each slab.</summary>
    public ReadOnlySpan<int> Counts => _counts;

    /// <summary>Solid particles in each slab.</summary>
    public ReadOnlySpan<int> SolidCounts => _solid;

    /// <summary>Solid fraction of each slab; NaN for an empty slab.</summary>
    public ReadOnlySpan<double> Fractions => _fraction;

    /// <summary>Fraction of all particles that are solid (NaN when there are none).</summary>
    public double TotalFraction
    {
        get
        {
            long all = 0, solid = 0;
            for (int k = 0; k < _counts.Length; k++)
            {
                all += _counts[k];
                solid += _solid[k];
            }
            return all > 0 ? (double)solid / all : double.NaN;
        }
    }
}
