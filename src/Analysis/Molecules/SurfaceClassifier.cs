using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Surface or core, after Kuroshima et al. (JCTC 2024): a molecule is at a surface when fewer than
/// <see cref="MinNeighbors"/> (default 20) molecular centers lie within the radius, by default the largest molecular
/// radius of the frame + 6 Å — wide enough that a molecule in the bulk sees about 30 centers (urea), so a surface
/// molecule, missing about half its environment, falls clearly below 20. It tells surface melting from core melting of
/// a nanocluster. Works on atoms as well (count atoms within an explicit radius). Parameters in the constructor, data
/// in <c>Compute</c>, immutable results: one instance can serve many runs.
/// </summary>
public sealed class SurfaceClassifier
{
    /// <summary>Added to the largest molecular radius for the default radius (Å).</summary>
    public const double DefaultPadding = 6.0;

    public const int DefaultMinNeighbors = 20;

    private readonly CoreBudget? _cores;

    /// <param name="radius">Neighbourhood radius; null = largest molecular radius + 6 Å (molecules only).</param>
    /// <param name="minNeighbors">Fewer centers than this within the radius is surface.</param>
    /// <param name="cores">The budget the neighbour counts borrow idle cores from; null for <see cref="CoreBudget.Shared"/>.</param>
    public SurfaceClassifier(double? radius = null, int minNeighbors = DefaultMinNeighbors, CoreBudget? cores = null)
    {
        _cores = cores;
        if (radius is { } r && (!(r > 0) || !double.IsFinite(r)))
            throw new ArgumentOutOfRangeException(nameof(radius), r, "the surface radius must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(minNeighbors, 1);
        Radius = radius;
        MinNeighbors = minNeighbors;
    }

    public double? Radius { get; }

    public int MinNeighbors { get; }

    /// <summary>The radius for these molecules: the configured one, or their largest radius + 6 Å.</summary>
    public double RadiusFor(OrientedMolecules molecules) => Radius ?? molecules.LargestRadius + DefaultPadding;

    /// <summary>Surface/core of molecules, counting molecular centers.</summary>
    public SurfaceResult Compute(OrientedMolecules molecules)
    {
        ArgumentNullException.ThrowIfNull(molecules);
        double radius = RadiusFor(molecules);
        var counts = Count(molecules.Box, molecules.CenterX, molecules.CenterY, molecules.CenterZ, radius);
        return new SurfaceResult(molecules.Ids.ToArray(), counts, radius, MinNeighbors);
    }

    /// <summary>Surface/core of a frame's atoms (needs an explicit radius: atoms have no molecular radius).</summary>
    public SurfaceResult Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new SurfaceResult(frame.Ids.ToArray(), CountAtoms(frame, null), AtomRadius, MinNeighbors);
    }

    /// <summary>
    /// How many of the molecules <paramref name="among"/> selects are at a surface (every molecule counts as a
    /// neighbour): the surface of one cluster at a cost in proportion to its size, not the frame's.
    /// </summary>
    public int CountSurface(OrientedMolecules molecules, bool[] among)
    {
        ArgumentNullException.ThrowIfNull(molecules);
        return Surface(Count(molecules.Box, molecules.CenterX, molecules.CenterY, molecules.CenterZ, RadiusFor(molecules), among, MinNeighbors), among);
    }

    /// <summary>How many of the atoms <paramref name="among"/> selects are at a surface (every atom counts as a neighbour).</summary>
    public int CountSurface(Frame frame, bool[] among)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Surface(CountAtoms(frame, among, MinNeighbors), among);
    }

    private double AtomRadius => Radius ?? throw new InvalidOperationException("surface/core of atoms needs an explicit radius");

    private int Surface(int[] counts, bool[] among)
    {
        int surface = 0;
        for (int i = 0; i < counts.Length; i++)
            if (among[i] && counts[i] < MinNeighbors) surface++;
        return surface;
    }

    /// <param name="limit">Counts need only reach this (see <see cref="NeighborQuery.CountWithin"/>).</param>
    private int[] CountAtoms(Frame frame, bool[]? among, int limit = int.MaxValue) =>
        Count(frame.Box, frame.X, frame.Y, frame.Z, AtomRadius, among, limit);

    /// <summary>Other points (any periodic image) closer than <paramref name="radius"/> to each point (each selected one).</summary>
    private int[] Count(SimulationBox box, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, double radius,
        bool[]? among = null, int limit = int.MaxValue)
    {
        int n = x.Length;
        // The open boundary from the double-precision centres, before they are rounded for the search.
        var cellBox = box.HasCell || n == 0 ? box : OpenBoundary.Enclosing(x, y, z, radius);
        var fx = new float[n];
        var fy = new float[n];
        var fz = new float[n];
        for (int i = 0; i < n; i++) (fx[i], fy[i], fz[i]) = ((float)x[i], (float)y[i], (float)z[i]);
        return Count(cellBox, fx, fy, fz, radius, among, limit);
    }

    /// <summary>As above, on single-precision positions (a frame's own, used as they are).</summary>
    private int[] Count(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, double radius,
        bool[]? among, int limit)
    {
        if (among is not null && among.Length != x.Length)
            throw new ArgumentException($"the selection has {among.Length} entries for {x.Length} points", nameof(among));
        if (x.Length == 0) return [];
        var cellBox = box.HasCell ? box : OpenBoundary.Enclosing(x, y, z, radius);
        using var query = new NeighborQuery(cellBox, x, y, z, radius, _cores);
        return query.CountWithin(radius, among, limit);
    }
}
