using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.OrderParameters;
using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// <c>--kind steinhardt</c>: Steinhardt q_l per atom, one row per atom (<c>frame,id,q4,q6,q8</c>), as LAMMPS
/// <c>compute orientorder/atom</c>: <c>--nnn K</c> alone is the K nearest neighbours (12 when neither option is given),
/// <c>--cutoff R</c> alone every neighbour closer than R (LAMMPS <c>nnn NULL</c>), both the K nearest closer than R. An
/// atom with fewer than K neighbours in range gets 0, as in LAMMPS, and the frame's summary line on stderr says how many.
/// <c>--average</c> gives Lechner–Dellago q̄_l instead (columns <c>qbar4,...</c>).
/// </summary>
internal sealed class SteinhardtKind : DescriptorKind
{
    private Steinhardt? _steinhardt;
    private int? _nearest;
    private double? _cutoff;
    private string _header = "";

    public override string Name => "steinhardt";

    public override string Description =>
        "Steinhardt q_l per atom (--l; --nnn K nearest, default 12, and/or --cutoff R; --average for Lechner-Dellago q̄_l), as LAMMPS orientorder/atom";

    public override string Header => _header;

    public override void Configure(DescriptorOptions options)
    {
        (_nearest, _cutoff) = NeighborOptions(options);
        _steinhardt = new Steinhardt(options.Degrees, average: options.Average);
        _header = "frame,id," + string.Join(',', options.Degrees.Select(l => (options.Average ? "qbar" : "q") + l));
    }

    public override void Write(Frame frame, CsvWriter csv, TextWriter summary)
    {
        var steinhardt = _steinhardt ?? throw new InvalidOperationException("Configure was not called");
        var neighbors = Neighbors(frame, _nearest, _cutoff);
        var result = steinhardt.Compute(neighbors);
        var columns = result.Degrees.Select(l => result.Ql(l).ToArray()).ToArray();
        var ids = frame.Ids;
        for (int i = 0; i < frame.AtomCount; i++)
        {
            csv.Field(frame.Index);
            csv.Field(ids[i]);
            foreach (var q in columns) csv.Field(q[i]);
            csv.EndRow();
        }
        int undefined = frame.AtomCount - result.DefinedCount;
        if (undefined > 0)
        {
            string why = _nearest is { } k
                ? $"fewer than {k} neighbours{(_cutoff is { } r ? $" within {r}" : "")} (or one on top of them)"
                : $"no neighbour within {_cutoff} (or one on top of them)";
            summary.WriteLine($"frame {frame.Index}: {undefined} of {frame.AtomCount} atoms have {why}; their q_l are 0");
        }
    }

    /// <summary>The neighbour options: K nearest (default 12 when there is no cutoff) and/or a cutoff, checked.</summary>
    internal static (int? Nearest, double? Cutoff) NeighborOptions(DescriptorOptions options)
    {
        if (options.Nearest is { } k && k < 1) throw new ArgumentException($"--nnn must be at least 1, got {k}");
        if (options.Cutoff is { } rc && !(rc > 0 && double.IsFinite(rc))) throw new ArgumentException($"--cutoff must be positive, got {rc}");
        return (options.Nearest ?? (options.Cutoff is null ? 12 : null), options.Cutoff);
    }

    /// <summary>
    /// The neighbour list of a frame for the options: <c>Nearest(k, cutoff)</c> or <c>WithinCutoff(cutoff)</c>. Refuses a
    /// cutoff (or, without one, a k-th neighbour distance) beyond half the box: an atom would then see a neighbour and
    /// its periodic image as two neighbours, which is a box too small for the question rather than an answer.
    /// </summary>
    internal static NeighborList Neighbors(Frame frame, int? nearest, double? cutoff)
    {
        var half = HalfBox(frame);
        if (cutoff is { } rc && rc > half)
            throw new ArgumentException(
                $"--cutoff {rc:G6} is more than half the box ({half:G6}, half the smallest distance between opposite faces of the cell): " +
                "atoms would see neighbours through more than one periodic image; use a smaller cutoff or a larger system");
        if (cutoff is null && frame.AtomCount <= nearest)
            throw new ArgumentException($"the frame has {frame.AtomCount} atoms, too few for {nearest} nearest neighbours");
        using var query = NeighborQuery.FromFrame(frame, cutoff ?? CellSizeFor(frame, nearest!.Value));
        // Unsorted: q_l sums over whole rows (the k nearest are still the k nearest).
        var list = nearest is { } k ? query.Nearest(k, cutoff, sorted: false) : query.WithinCutoff(cutoff!.Value, sorted: false);
        if (cutoff is null) CheckReach(list, nearest!.Value, half);
        return list;
    }

    /// <summary>Half the smallest width of the frame's cell; a clear error for a frame without one.</summary>
    internal static double HalfBox(Frame frame)
    {
        if (!frame.Box.HasCell) throw new ArgumentException("the frame has no periodic cell; order parameters need one");
        return new PeriodicCell(frame.Box).MaxMinimumImageCutoff;
    }

    /// <summary>Refuses a k-nearest list whose farthest neighbour lies beyond half the box (see <see cref="Neighbors"/>).</summary>
    internal static void CheckReach(NeighborList list, int nearest, double half)
    {
        float farthest = 0;
        foreach (float d in list.AllDistances) farthest = Math.Max(farthest, d);
        if (farthest > half)
            throw new ArgumentException(
                $"the {nearest} nearest neighbours of some atoms reach {farthest:G4}, more than half the box ({half:G4}): " +
                $"the system is too small for --nnn {nearest}; give a --cutoff below {half:G4} or use a larger system");
    }

    /// <summary>A cell size for a k-nearest search without a cutoff: the radius of a sphere holding about 2k atoms.</summary>
    private static double CellSizeFor(Frame frame, int k) =>
        Math.Cbrt(3.0 * 2 * k / (4 * Math.PI * frame.AtomCount / Math.Abs(frame.Box.Volume)));
}
